# Change 2 does not say which part of the agreement it rewrites.
DELETE WHERE { <change/2> renkei:changes ?t }
