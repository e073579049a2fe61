# Change 1's old wording was retyped by hand and no longer matches the quotation 「災害対策」.
DELETE WHERE { <change/1> renkei:oldText ?t } ;
INSERT DATA { <change/1> renkei:oldText "災害の対策"@ja }
