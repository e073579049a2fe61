# Takes effect on 2019-04-01, before the agreement it amends was signed (2019-10-18).
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_applicability "2019-04-01"^^xsd:date }
