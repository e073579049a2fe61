# The base agreement as it is: excerpts such as L6-L7 and L7-L7 (first line = last line).
