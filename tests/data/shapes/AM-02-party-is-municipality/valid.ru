# A prefecture may be a party (高知市 and 高知県, れんけいこうち): 福島県 (070009) replaces 二本松市
# everywhere, in the amendment's IRI, the amended agreement's and the changes' targets too.
DELETE { ?s ?p ?o } INSERT { ?s2 ?p ?o2 } WHERE {
    ?s ?p ?o .
    FILTER (CONTAINS(STR(?s), "072109") || (isIRI(?o) && CONTAINS(STR(?o), "072109")))
    BIND (IF(CONTAINS(STR(?s), "072109"), IRI(REPLACE(STR(?s), "072109", "070009")), ?s) AS ?s2)
    BIND (IF(isIRI(?o) && CONTAINS(STR(?o), "072109"), IRI(REPLACE(STR(?o), "072109", "070009")), ?o) AS ?o2)
}
