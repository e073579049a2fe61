# Only the central city is a party: the partner, its role and its signature are gone.
DELETE WHERE { ag:072036-072109-2019-10-18 renkei:party mu:072109 } ;
DELETE WHERE { <initiative/3-8> renkei:role <initiative/3-8/role/072109> } ;
DELETE WHERE { <initiative/3-8/role/072109> ?p ?o } ;
DELETE WHERE { ag:072036-072109-2019-10-18 renkei:signatory <signatory/072109> } ;
DELETE WHERE { <signatory/072109> ?p ?o }
