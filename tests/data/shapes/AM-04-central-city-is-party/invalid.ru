# The central city named is 須賀川市, which is not a party.
DELETE WHERE { am:072036-072109-2020-07-08 renkei:centralCity ?c } ;
INSERT DATA { am:072036-072109-2020-07-08 renkei:centralCity mu:072079 }
