# The parties are right but swapped: 二本松市 is named the central city, while the amended
# agreement 072036-072109-… has 郡山市 as its central city.
DELETE WHERE { am:072036-072109-2020-07-08 renkei:centralCity ?c } ;
INSERT DATA { am:072036-072109-2020-07-08 renkei:centralCity mu:072109 }
