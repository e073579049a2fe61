# Article 2's number is a string, as if copied from 「第2条」 without conversion.
DELETE WHERE { <article/2> renkei:number ?n } ;
INSERT DATA { <article/2> renkei:number "2" }
