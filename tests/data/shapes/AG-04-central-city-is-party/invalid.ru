# The central city named is 須賀川市, which is not a party.
DELETE WHERE { ag:072036-072109-2019-10-18 renkei:centralCity ?c } ;
INSERT DATA { ag:072036-072109-2019-10-18 renkei:centralCity mu:072079 }
