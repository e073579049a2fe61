# The preamble cites 第252条の2第2項 (publication and notice), which is no basis for a change.
DELETE WHERE { am:072036-072109-2020-07-08 eli:based_on ?b } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:based_on <https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/2> }
