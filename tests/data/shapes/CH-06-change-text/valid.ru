# The base amendment as it is: every change keeps its amending provision.
