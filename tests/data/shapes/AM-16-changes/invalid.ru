# No amending provision was read: the changes are gone.
DELETE WHERE { am:072036-072109-2020-07-08 renkei:change ?c . ?c ?p ?o } ;
DELETE WHERE { am:072036-072109-2020-07-08 renkei:change ?c }
