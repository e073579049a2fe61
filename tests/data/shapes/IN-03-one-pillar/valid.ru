# The base agreement as it is: row 3-(8) stands under pillar 3.
