# The partner's lead flag is the string "no", not a boolean.
DELETE WHERE { <initiative/3-8/role/072109> renkei:lead ?l } ;
INSERT DATA { <initiative/3-8/role/072109> renkei:lead "no" }
