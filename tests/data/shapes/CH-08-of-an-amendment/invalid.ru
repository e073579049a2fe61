# A change 4 that no amendment lists (renkei:change missing).
INSERT DATA {
    <change/4> a renkei:Change ;
        renkei:number 4 ;
        renkei:changes <https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18/article/4> ;
        renkei:oldText "毎年度"@ja ; renkei:newText "毎年度1回以上"@ja ;
        renkei:text "第4条中「毎年度」を「毎年度1回以上」に改める。"@ja ;
        eli:is_part_of am:072036-072109-2020-07-08 ;
        prov:wasDerivedFrom <https://w3id.org/renkei/id/source/amendment-fixture#L9-L9> .
}
