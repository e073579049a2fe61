# A third party, いわき市, joins the amendment of a two-party agreement.
INSERT DATA { am:072036-072109-2020-07-08 renkei:party mu:072044 }
