# The item's text is an English translation instead of the printed Japanese.
DELETE WHERE { <article/2/item/1> renkei:text ?t } ;
INSERT DATA { <article/2/item/1> renkei:text "the initiatives listed in the annex"@en }
