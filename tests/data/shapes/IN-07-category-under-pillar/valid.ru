# A category two levels below the pillar (3 > 3.A > 3.A.7).
DELETE WHERE { <initiative/3-8> renkei:category ?c } ;
DELETE WHERE { <initiative/3-8/category/3.B.2> renkei:matchedConcept ?c } ;
INSERT DATA { <initiative/3-8> renkei:category fw:3.A.7 . <initiative/3-8/category/3.B.2> renkei:matchedConcept fw:3.A.7 }
