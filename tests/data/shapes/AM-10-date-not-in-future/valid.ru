# A recent past date.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2024-03-29"^^xsd:date }
