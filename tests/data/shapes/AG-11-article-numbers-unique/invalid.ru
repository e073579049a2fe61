# Two articles numbered 1.
DELETE WHERE { <article/2> renkei:number ?n } ;
INSERT DATA { <article/2> renkei:number 1 }
