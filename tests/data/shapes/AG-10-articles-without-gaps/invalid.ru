# Articles 1 and 3: article 2 is missing.
DELETE WHERE { <article/2> renkei:number ?n } ;
INSERT DATA { <article/2> renkei:number 3 }
