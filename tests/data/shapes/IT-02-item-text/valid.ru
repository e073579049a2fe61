# The base agreement as it is: the item's text is Japanese, as printed.
