# Row 3-(8) has a second content.
INSERT DATA { <initiative/3-8> renkei:content "二つ目の内容"@ja }
