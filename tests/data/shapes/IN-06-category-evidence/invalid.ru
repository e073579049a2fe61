# Row 3-(8) also has category 3.B.1, with no evidence for it.
INSERT DATA { <initiative/3-8> renkei:category fw:3.B.1 }
