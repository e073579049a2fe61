# A category two levels below the pillar (3 > 3.A > 3.A.7).
DELETE WHERE { <initiative/3-8> renkei:category ?c } ;
INSERT DATA { <initiative/3-8> renkei:category fw:3.A.7 }
