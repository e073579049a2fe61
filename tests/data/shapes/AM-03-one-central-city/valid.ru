# The base amendment as it is: 郡山市 is the central city.
