# The base amendment as it is: it amends one agreement, 郡山市–二本松市 of 2019-10-18.
