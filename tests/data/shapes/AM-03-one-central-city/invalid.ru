# The amendment does not say which party is the central city.
DELETE WHERE { am:072036-072109-2020-07-08 renkei:centralCity ?c }
