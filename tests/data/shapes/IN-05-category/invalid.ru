# Row 3-(8) fits no category of the framework.
DELETE WHERE { <initiative/3-8> renkei:category ?c }
