# Signed the day before the framework notice.
DELETE WHERE { ag:072036-072109-2019-10-18 eli:date_document ?d } ;
INSERT DATA { ag:072036-072109-2019-10-18 eli:date_document "2014-08-24"^^xsd:date }
