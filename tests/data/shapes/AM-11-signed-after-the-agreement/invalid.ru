# Signed the day before the agreement it amends (2019-10-18).
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2019-10-17"^^xsd:date }
