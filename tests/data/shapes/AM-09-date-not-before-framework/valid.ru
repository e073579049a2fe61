# Signed on the very day of the framework notice (平成26年8月25日), the earliest date allowed,
# amending an agreement of the same day.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d } ;
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d } ;
DELETE WHERE { am:072036-072109-2020-07-08 eli:amends ?a } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:date_document "2014-08-25"^^xsd:date ; eli:date_applicability "2014-08-25"^^xsd:date ;
    eli:amends ag:072036-072109-2014-08-25 } ;
DELETE { ?c renkei:changes ?t } INSERT { ?c renkei:changes ?moved } WHERE {
    ?c renkei:changes ?t .
    BIND (IRI(REPLACE(STR(?t), "/agreement/072036-072109-2019-10-18/", "/agreement/072036-072109-2014-08-25/")) AS ?moved)
}
