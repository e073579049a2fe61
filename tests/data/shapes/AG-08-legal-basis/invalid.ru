# The basis cited is paragraph 4 (the council resolution), not paragraph 1.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:based_on ?b } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:based_on <https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/4> }
