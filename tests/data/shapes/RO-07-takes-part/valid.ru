# The partner takes part in row 3-(8), said explicitly.
INSERT DATA { <initiative/3-8/role/072109> renkei:takesPart true }
