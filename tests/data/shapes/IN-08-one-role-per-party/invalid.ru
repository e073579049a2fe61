# Row 3-(8) gives no role for 二本松市.
DELETE WHERE { <initiative/3-8> renkei:role <initiative/3-8/role/072109> } ;
DELETE WHERE { <initiative/3-8/role/072109> ?p ?o }
