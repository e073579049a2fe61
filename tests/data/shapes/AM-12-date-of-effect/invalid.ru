# No 附則: the amendment does not say when it takes effect.
DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d }
