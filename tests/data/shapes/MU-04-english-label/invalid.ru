# A municipality with a Japanese name only.
INSERT DATA {
    mu:999997 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "架空市"@ja ;
        renkei:localGovernmentCode "999997" .
}
