# No central city is named.
DELETE WHERE { ag:072036-072109-2019-10-18 renkei:centralCity ?c }
