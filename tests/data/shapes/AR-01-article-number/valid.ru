# The base agreement as it is: articles numbered 1 and 2 (xsd:integer).
