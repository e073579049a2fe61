# A municipality with a Japanese and an English skos:prefLabel (one per language).
INSERT DATA {
    mu:999997 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "架空市"@ja , "Kaku City"@en ;
        renkei:localGovernmentCode "999997" .
}
