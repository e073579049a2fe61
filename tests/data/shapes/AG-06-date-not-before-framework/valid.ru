# Signed on the very day of the framework notice (平成26年8月25日): the earliest date allowed.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:date_document ?d } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:date_document "2014-08-25"^^xsd:date }
