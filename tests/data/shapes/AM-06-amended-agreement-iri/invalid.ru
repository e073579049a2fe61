# The amended agreement is named by an IRI without its parties' codes and date (a file stem);
# the changes' targets move with it, so that only the IRI's form is at fault.
DELETE WHERE { am:072036-072109-2020-07-08 eli:amends ?a } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:amends ag:koriyama-nihonmatsu-2019 } ;
DELETE { ?c renkei:changes ?t } INSERT { ?c renkei:changes ?moved } WHERE {
    ?c renkei:changes ?t .
    BIND (IRI(REPLACE(STR(?t), "/agreement/072036-072109-2019-10-18/", "/agreement/koriyama-nihonmatsu-2019/")) AS ?moved)
}
