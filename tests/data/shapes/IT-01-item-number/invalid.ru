# Item numbers start at 1: 0 is not one.
DELETE WHERE { <article/2/item/1> renkei:number ?n } ;
INSERT DATA { <article/2/item/1> renkei:number 0 }
