# The preamble cites 第252条の2第1項, which 第4項 applies to changes: accepted as well as 第4項.
DELETE WHERE { am:072036-072109-2020-07-08 eli:based_on ?b } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:based_on <https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/1> }
