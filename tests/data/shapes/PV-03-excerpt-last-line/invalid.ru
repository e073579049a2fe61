# An excerpt without a last line.
DELETE WHERE { <https://w3id.org/renkei/id/source/fixture#L6-L7> renkei:lastLine ?l }
