# A signing date far in the future (a mistyped era or year).
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2999-07-08"^^xsd:date }
