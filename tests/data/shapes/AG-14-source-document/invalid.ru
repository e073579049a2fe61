# The agreement does not say which document it comes from.
DELETE WHERE { ag:072036-072109-2019-10-18 prov:wasDerivedFrom ?src }
