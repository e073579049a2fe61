# Applied from a day before it was signed (2020-04-01, retroactively), but after the agreement
# it amends (2019-10-18): legal.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_applicability "2020-04-01"^^xsd:date }
