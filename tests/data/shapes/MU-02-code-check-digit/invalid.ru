# 072037: the check digit of 07203 is 6, not 7.
INSERT DATA {
    mu:072037 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "郡山市"@ja ; rdfs:label "Koriyama City"@en ;
        renkei:localGovernmentCode "072037" .
}
