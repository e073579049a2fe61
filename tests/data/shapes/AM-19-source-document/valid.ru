# The base amendment as it is: derived from the source document amendment-fixture.txt.
