# Changes 1, 2 and 4: change 3 is missing.
DELETE WHERE { <change/3> renkei:number ?n } ;
INSERT DATA { <change/3> renkei:number 4 }
