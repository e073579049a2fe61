# The base agreement as it is: one initiative, 3-(8).
