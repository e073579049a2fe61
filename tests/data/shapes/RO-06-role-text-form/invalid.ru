# The partner's role in row 3-(8) has a second text.
INSERT DATA { <initiative/3-8/role/072109> renkei:text "二つ目の役割"@ja }
