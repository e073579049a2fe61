# The base agreement as it is: the two signatories sign for the two parties.
