# The title and language sit on the amendment itself: no expression.
DELETE WHERE { am:072036-072109-2020-07-08 eli:is_realized_by ?e } ;
INSERT DATA { am:072036-072109-2020-07-08 eli:title "郡山市と二本松市との連携中枢都市圏形成に係る連携協約の一部を変更する連携協約"@ja }
