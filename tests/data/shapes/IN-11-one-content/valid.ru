# The base agreement as it is: row 3-(8) has one content.
