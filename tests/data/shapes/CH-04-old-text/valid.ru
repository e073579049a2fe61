# The base amendment as it is: every change quotes the wording it replaces.
