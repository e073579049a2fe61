# Article 2 does not say which lines it comes from.
DELETE WHERE { <article/2> prov:wasDerivedFrom ?e }
