# The base agreement as it is: each role names its party.
