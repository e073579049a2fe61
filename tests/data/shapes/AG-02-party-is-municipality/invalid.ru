# The partner is not in the MIC code list (an IRI outside id/municipality/).
DELETE { ?s ?p mu:072109 } INSERT { ?s ?p <https://example.org/nihonmatsu> } WHERE { ?s ?p mu:072109 }
