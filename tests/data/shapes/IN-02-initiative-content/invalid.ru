# Row 3-(8) has no content.
DELETE WHERE { <initiative/3-8> renkei:content ?c }
