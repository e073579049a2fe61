# A municipality whose Japanese name is only an rdfs:label, with no skos:prefLabel.
INSERT DATA {
    mu:999997 a renkei:Municipality , renkei:LocalGovernment ;
        rdfs:label "架空市"@ja , "Kaku City"@en ;
        renkei:localGovernmentCode "999997" .
}
