# Row 3-(8) is under no pillar.
DELETE WHERE { <initiative/3-8> renkei:pillar ?p }
