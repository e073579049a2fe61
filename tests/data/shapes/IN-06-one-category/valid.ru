# The base agreement as it is: one category.
