# Category 1.a belongs to pillar 1, but the row stands under pillar 3.
DELETE WHERE { <initiative/3-8> renkei:category ?c } ;
DELETE WHERE { <initiative/3-8/category/3.B.2> renkei:matchedConcept ?c } ;
INSERT DATA { <initiative/3-8> renkei:category fw:1.a . <initiative/3-8/category/3.B.2> renkei:matchedConcept fw:1.a }
