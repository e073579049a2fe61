# The base agreement as it is: pillar 3 is a top concept of the framework.
