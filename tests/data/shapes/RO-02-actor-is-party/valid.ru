# The base agreement as it is: the roles are the two parties'.
