# A Japanese title and, beside it, an English one: still exactly one Japanese title.
INSERT DATA { ag:072036-072109-2019-10-18 dct:title "Cooperation agreement between Koriyama and Nihonmatsu"@en }
