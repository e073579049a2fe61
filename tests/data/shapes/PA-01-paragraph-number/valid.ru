# The base agreement as it is: paragraphs 1 and 2 of article 1.
