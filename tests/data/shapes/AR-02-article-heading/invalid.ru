# Article 2 has no heading (no 「（…）」 line before it).
DELETE WHERE { <article/2> renkei:heading ?h }
