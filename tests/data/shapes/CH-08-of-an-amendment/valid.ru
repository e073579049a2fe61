# The base amendment as it is: it lists each of its changes.
