# The base agreement as it is: its Japanese text realizes it, with the title and the language.
