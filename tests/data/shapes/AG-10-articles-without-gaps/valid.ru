# The base agreement as it is: articles 1 and 2.
