# The base agreement as it is: each article is part of the agreement.
