# The same checksum in uppercase hex.
DELETE WHERE { src:fixture renkei:sha256 ?h } ;
INSERT DATA { src:fixture renkei:sha256 "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" }
