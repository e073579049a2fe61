# The title is given in English only.
DELETE WHERE { am:072036-072109-2020-07-08 dct:title ?t } ;
INSERT DATA { am:072036-072109-2020-07-08 dct:title "Amendment of the cooperation agreement between Koriyama and Nihonmatsu"@en }
