# A row 3-(9) that no agreement lists (renkei:initiative missing).
INSERT DATA {
    <initiative/3-9> a renkei:Initiative ;
        dct:identifier "3-(9)" ; renkei:number 9 ;
        dct:title "道路等の社会インフラの整備・維持"@ja ;
        renkei:content "道路等の社会インフラの整備・維持に取り組む。"@ja ;
        renkei:pillar fw:3 ; renkei:category fw:3.B.3 ; renkei:categoryMatch <initiative/3-9/category/3.B.3> ;
        prov:wasDerivedFrom <https://w3id.org/renkei/id/source/fixture#L12-L12> .
    <initiative/3-9/category/3.B.3> a renkei:CategoryMatch ; renkei:matchedConcept fw:3.B.3 ;
        renkei:matchedLabel "インフラ"@ja ; renkei:matchedIn "title" .
}
