# The partner's code 072991 (well formed, with a right check digit) is in no MIC code list; it
# replaces 二本松市 (072109) everywhere, so that parties, IRIs and targets still agree.
DELETE { ?s ?p ?o } INSERT { ?s2 ?p ?o2 } WHERE {
    ?s ?p ?o .
    FILTER (CONTAINS(STR(?s), "072109") || (isIRI(?o) && CONTAINS(STR(?o), "072109")))
    BIND (IF(CONTAINS(STR(?s), "072109"), IRI(REPLACE(STR(?s), "072109", "072991")), ?s) AS ?s2)
    BIND (IF(isIRI(?o) && CONTAINS(STR(?o), "072109"), IRI(REPLACE(STR(?o), "072109", "072991")), ?o) AS ?o2)
}
