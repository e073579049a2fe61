# The partner's role cell is empty.
DELETE WHERE { <initiative/3-8/role/072109> renkei:text ?t }
