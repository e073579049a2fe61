# The base agreement as it is: signed 2019-10-18 (令和元年10月18日).
