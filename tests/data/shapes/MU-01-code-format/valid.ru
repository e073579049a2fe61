# A further municipality with a six-digit code (札幌市).
INSERT DATA {
    mu:011002 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "札幌市"@ja ; rdfs:label "Sapporo City"@en ;
        renkei:localGovernmentCode "011002" .
}
