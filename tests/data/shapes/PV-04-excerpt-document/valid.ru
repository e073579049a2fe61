# The base agreement as it is: every excerpt belongs to fixture.txt.
