# Article 2 does not say which agreement it belongs to.
DELETE WHERE { <article/2> eli:is_part_of ?a }
