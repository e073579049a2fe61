# The base amendment as it is: changes numbered 1, 2, 3.
