# Row 3-(8) has no title.
DELETE WHERE { <initiative/3-8> dct:title ?t }
