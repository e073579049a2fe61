# No signing date.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:date_document ?d }
