# The base amendment as it is: signed 2020-07-08 (令和2年7月8日).
