# The base amendment as it is: based on 地方自治法第252条の2第4項.
