# The base agreement as it is: the central city and one partner.
