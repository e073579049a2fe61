# The pillar given is 3.B, a policy field under pillar 3, not one of the three pillars.
DELETE WHERE { <initiative/3-8> renkei:pillar ?p } ;
INSERT DATA { <initiative/3-8> renkei:pillar fw:3.B }
