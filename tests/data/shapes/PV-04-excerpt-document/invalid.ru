# An excerpt that names no source document.
DELETE WHERE { <https://w3id.org/renkei/id/source/fixture#L6-L7> renkei:sourceDocument ?d }
