# The base amendment as it is: every change points at its lines.
