# The base agreement as it is: each article has a heading.
