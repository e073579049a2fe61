# The amendment does not say which agreement it amends.
DELETE WHERE { am:072036-072109-2020-07-08 eli:amends ?a }
