# The base agreement as it is: row 3-(8) falls under category 3.B.2 (ICTインフラ整備).
