# The base agreement as it is: each paragraph has its text.
