# A date far in the future (a mistyped era or year).
DELETE WHERE { ag:072036-072109-2019-10-18 eli:date_document ?d } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:date_document "2999-10-18"^^xsd:date }
