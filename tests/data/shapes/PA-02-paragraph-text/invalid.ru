# Paragraph 2 of article 1 has an empty text (a line holding only 「2」).
DELETE WHERE { <article/1/paragraph/2> renkei:text ?t } ;
INSERT DATA { <article/1/paragraph/2> renkei:text ""@ja }
