# The base amendment as it is: change 3 strikes words out (「「、速やかに」を削る」) and has no new
# wording, which is legal.
