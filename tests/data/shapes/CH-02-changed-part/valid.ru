# The base amendment as it is: each change names one part (a row, a role, a paragraph).
