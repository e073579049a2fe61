# The annex lists no initiative: row 3-(8) and its roles are gone.
DELETE WHERE { ?s renkei:role ?role . ?role ?p ?o } ;
DELETE WHERE { ?a renkei:initiative ?i . ?i ?p ?o } ;
DELETE WHERE { ?a renkei:initiative ?i } ;
DELETE WHERE { <annex/1/section/3> eli:has_part ?i }
