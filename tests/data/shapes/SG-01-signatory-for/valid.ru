# The base agreement as it is: each signatory signs for one party.
