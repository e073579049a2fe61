# Article 2 has no text.
DELETE WHERE { <article/2> renkei:text ?t }
