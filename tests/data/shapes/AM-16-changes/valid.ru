# The base amendment as it is: three changes.
