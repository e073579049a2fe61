# The preamble cites no provision of 地方自治法 (legal: a warning).
DELETE WHERE { am:072036-072109-2020-07-08 eli:based_on ?b }
