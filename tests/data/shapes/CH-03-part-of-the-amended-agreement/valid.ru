# Change 3 rewrites an article (第4条): any part below the amended agreement's IRI will do.
DELETE WHERE { <change/3> renkei:changes ?t } ;
INSERT DATA { <change/3> renkei:changes <https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18/article/4> }
