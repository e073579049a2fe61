# A third role in row 3-(8) played by 須賀川市, which is not a party to this agreement.
INSERT DATA {
    <initiative/3-8> renkei:role <initiative/3-8/role/072079> .
    <initiative/3-8/role/072079> a renkei:Role ;
        renkei:actor mu:072079 ;
        renkei:text "郡山市と連携して、I C T インフラの整備に取り組む。"@ja ; renkei:lead false ;
        prov:wasDerivedFrom <https://w3id.org/renkei/id/source/fixture#L12-L12> .
}
