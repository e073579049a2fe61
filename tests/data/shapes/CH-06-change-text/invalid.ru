# Change 1 has lost its amending provision.
DELETE WHERE { <change/1> renkei:text ?t }
