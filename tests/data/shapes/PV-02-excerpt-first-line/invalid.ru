# An excerpt whose first line (8) comes after its last (7).
DELETE WHERE { <https://w3id.org/renkei/id/source/fixture#L6-L7> renkei:firstLine ?l } ;
INSERT DATA { <https://w3id.org/renkei/id/source/fixture#L6-L7> renkei:firstLine 8 }
