# The base agreement as it is: row 3-(8) is listed by the agreement.
