# The base amendment as it is: central city 郡山市 (072036), partner 二本松市 (072109), as in the
# amended agreement's IRI ag:072036-072109-2019-10-18.
