# The base agreement as it is: one role for 郡山市 and one for 二本松市.
