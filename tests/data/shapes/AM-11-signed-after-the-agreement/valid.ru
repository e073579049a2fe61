# Signed on the day the amended agreement was signed (2019-10-18): the earliest date allowed.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2019-10-18"^^xsd:date }
