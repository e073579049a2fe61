# The base agreement as it is: 郡山市 is the central city.
