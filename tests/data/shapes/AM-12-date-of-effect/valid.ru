# Takes effect at the start of the next fiscal year, after it is signed.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_applicability "2021-04-01"^^xsd:date }
