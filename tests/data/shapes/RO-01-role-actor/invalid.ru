# A third role in row 3-(8) that names no party (a shifted column).
INSERT DATA {
    <initiative/3-8> renkei:role <initiative/3-8/role/x> .
    <initiative/3-8/role/x> a renkei:Role ;
        renkei:text "連携して取り組む。"@ja ; renkei:lead false ;
        prov:wasDerivedFrom <https://w3id.org/renkei/id/source/fixture#L12-L12> .
}
