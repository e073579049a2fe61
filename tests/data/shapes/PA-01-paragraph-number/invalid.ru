# Paragraph 2 of article 1 has no number.
DELETE WHERE { <article/1/paragraph/2> renkei:number ?n }
