# A prefecture may be a party (高知市 and 高知県, れんけいこうち): 福島県 replaces 二本松市.
DELETE { ?s ?p mu:072109 } INSERT { ?s ?p mu:070009 } WHERE { ?s ?p mu:072109 }
