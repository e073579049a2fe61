# The code is the five-digit standard area code, without its check digit.
INSERT DATA {
    mu:07203 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "郡山市"@ja ; rdfs:label "Koriyama City"@en ;
        renkei:localGovernmentCode "07203" .
}
