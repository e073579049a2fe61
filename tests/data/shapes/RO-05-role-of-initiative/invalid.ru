# A role that no initiative lists.
INSERT DATA {
    <initiative/3-9/role/072109> a renkei:Role ;
        renkei:actor mu:072109 ;
        renkei:text "郡山市と連携して取り組む。"@ja ; renkei:lead false ;
        prov:wasDerivedFrom <https://w3id.org/renkei/id/source/fixture#L12-L12> .
}
