# The base agreement as it is: every part points at its lines.
