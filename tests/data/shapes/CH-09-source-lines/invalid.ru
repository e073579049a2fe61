# Change 2 does not say which lines it comes from.
DELETE WHERE { <change/2> prov:wasDerivedFrom ?e }
