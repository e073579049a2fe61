# The base agreement as it is: every excerpt has a last line.
