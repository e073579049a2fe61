# Change 3 has no number.
DELETE WHERE { <change/3> renkei:number ?n }
