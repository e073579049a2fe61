# Change 3, a deletion, is recorded with an empty new wording instead of none.
INSERT DATA { <change/3> renkei:newText ""@ja }
