# The SHA-256 of an empty file, 64 lowercase hex digits.
DELETE WHERE { src:fixture renkei:sha256 ?h } ;
INSERT DATA { src:fixture renkei:sha256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" }
