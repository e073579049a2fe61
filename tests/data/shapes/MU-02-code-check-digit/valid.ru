# The two special cases of the check digit: remainder 0 gives 1 (苫小牧市 012131), remainder 1 gives 0 (室蘭市 012050).
INSERT DATA {
    mu:012131 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "苫小牧市"@ja ; rdfs:label "Tomakomai City"@en ;
        renkei:localGovernmentCode "012131" .
    mu:012050 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "室蘭市"@ja ; rdfs:label "Muroran City"@en ;
        renkei:localGovernmentCode "012050" .
}
