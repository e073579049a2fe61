# No English label at all.
DELETE WHERE { ag:072036-072109-2019-10-18 rdfs:label ?l }
