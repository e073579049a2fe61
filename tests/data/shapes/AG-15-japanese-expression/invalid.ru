# The title and language sit on the agreement itself, as before ELI's levels were kept apart: no expression.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:is_realized_by ?e } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:title "郡山市と二本松市との連携中枢都市圏形成に係る連携協約"@ja }
