# Signed the day before the framework notice (the amended agreement's IRI is older still, so
# that only the framework date is at fault).
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d } ;
DELETE WHERE { am:072036-072109-2020-07-08 eli:amends ?a } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2014-08-24"^^xsd:date ; eli:date_applicability "2014-08-24"^^xsd:date ;
    eli:amends ag:072036-072109-2014-08-01 } ;
DELETE { ?c renkei:changes ?t } INSERT { ?c renkei:changes ?moved } WHERE {
    ?c renkei:changes ?t .
    BIND (IRI(REPLACE(STR(?t), "/agreement/072036-072109-2019-10-18/", "/agreement/072036-072109-2014-08-01/")) AS ?moved)
}
