# The base agreement as it is: renkei:lead true and false as xsd:boolean.
