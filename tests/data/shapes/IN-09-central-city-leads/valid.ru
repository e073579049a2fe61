# Both parties lead (「主体的に」 in both roles): unusual wording, but the central city leads.
DELETE WHERE { <initiative/3-8/role/072109> renkei:lead ?l } ;
INSERT DATA { <initiative/3-8/role/072109> renkei:lead true }
