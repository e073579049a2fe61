# The base amendment as it is: the central city 郡山市 and its partner 二本松市.
