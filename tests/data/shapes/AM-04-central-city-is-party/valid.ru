# The base amendment as it is: the central city 郡山市 is one of the parties.
