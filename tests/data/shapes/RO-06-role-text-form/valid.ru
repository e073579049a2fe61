# The base agreement as it is: each role has one text.
