# The second signature block is 福島県's, which is not a party.
DELETE WHERE { <signatory/072109> renkei:onBehalfOf ?m } ;
INSERT DATA { <signatory/072109> renkei:onBehalfOf mu:070009 }
