# No signing date: the date above the signatures is missing.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_document ?d }
