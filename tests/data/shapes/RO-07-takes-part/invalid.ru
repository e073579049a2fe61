# The partner takes no part in row 3-(8): its role cell was printed 「－」.
DELETE { <initiative/3-8/role/072109> renkei:text ?t } INSERT { <initiative/3-8/role/072109> renkei:text "－"@ja ; renkei:takesPart false }
WHERE { <initiative/3-8/role/072109> renkei:text ?t }
