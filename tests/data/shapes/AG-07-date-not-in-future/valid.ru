# A recent past date.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:date_document ?d } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:date_document "2024-03-29"^^xsd:date }
