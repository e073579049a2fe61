# Row 3-(8) has two categories, each with its evidence: an enumerated title.
INSERT DATA { <initiative/3-8> renkei:category fw:3.B.1 ; renkei:categoryMatch <initiative/3-8/category/3.B.1> .
  <initiative/3-8/category/3.B.1> a renkei:CategoryMatch ; renkei:matchedConcept fw:3.B.1 ;
  renkei:matchedLabel "公共交通"@ja ; renkei:matchedIn "title" }
