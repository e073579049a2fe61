# The base amendment as it is: it amends ag:072036-072109-2019-10-18.
