# The base agreement as it is: item (1) of article 2.
