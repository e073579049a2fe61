# The title is given in English only.
DELETE WHERE { ag:072036-072109-2019-10-18 dct:title ?t } ;
INSERT DATA { ag:072036-072109-2019-10-18 dct:title "Cooperation agreement between Koriyama and Nihonmatsu"@en }
