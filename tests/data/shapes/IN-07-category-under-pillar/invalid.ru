# Category 1.a belongs to pillar 1, but the row stands under pillar 3.
DELETE WHERE { <initiative/3-8> renkei:category ?c } ;
INSERT DATA { <initiative/3-8> renkei:category fw:1.a }
