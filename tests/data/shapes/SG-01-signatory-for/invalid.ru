# The second signature block names no local government.
DELETE WHERE { <signatory/072109> renkei:onBehalfOf ?m }
