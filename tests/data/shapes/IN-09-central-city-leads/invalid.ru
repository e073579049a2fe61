# The central city's role does not lead.
DELETE WHERE { <initiative/3-8/role/072036> renkei:lead ?l } ;
INSERT DATA { <initiative/3-8/role/072036> renkei:lead false }
