# Change 1 has no old wording.
DELETE WHERE { <change/1> renkei:oldText ?t }
