# The English label is given as an English dct:title instead of rdfs:label.
DELETE WHERE { ag:072036-072109-2019-10-18 rdfs:label ?l } ;
INSERT DATA { ag:072036-072109-2019-10-18 dct:title "Cooperation agreement between Koriyama and Nihonmatsu"@en }
