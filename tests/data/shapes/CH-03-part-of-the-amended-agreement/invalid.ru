# Change 2 rewrites a role of another agreement (signed 2021-01-01), not of the one amended.
DELETE WHERE { <change/2> renkei:changes ?t } ;
INSERT DATA { <change/2> renkei:changes <https://w3id.org/renkei/id/agreement/072036-072109-2021-01-01/initiative/3-5/role/072109> }
