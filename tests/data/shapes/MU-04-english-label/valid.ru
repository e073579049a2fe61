# A municipality whose English name is a skos:prefLabel (999997 is not in the code list,
# so the reference data adds nothing to it).
INSERT DATA {
    mu:999997 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "架空市"@ja , "Kaku City"@en ;
        renkei:localGovernmentCode "999997" .
}
