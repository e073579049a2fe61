# The base agreement as it is: each role belongs to row 3-(8).
