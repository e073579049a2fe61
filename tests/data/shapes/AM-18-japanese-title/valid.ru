# A Japanese title and, beside it, an English one: still exactly one Japanese title.
INSERT DATA { am:072036-072109-2020-07-08 dct:title "Amendment of the cooperation agreement between Koriyama and Nihonmatsu"@en }
