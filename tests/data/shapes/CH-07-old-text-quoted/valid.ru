# The base amendment as it is: 「災害対策」 is quoted in change 1's provision.
