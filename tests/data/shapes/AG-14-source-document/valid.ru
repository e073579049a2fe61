# The base agreement as it is: derived from the source document fixture.txt.
