# Two categories, 3.B.2 and 3.B.1.
INSERT DATA { <initiative/3-8> renkei:category fw:3.B.1 }
