# The base amendment as it is: changes 1, 2 and 3.
