# The amendment does not say which document it comes from.
DELETE WHERE { am:072036-072109-2020-07-08 prov:wasDerivedFrom ?src }
