"""SPARQL 1.1's lexical tokens (§19.8), as far as the query guard and the rewriter need them.

One pattern, one group per token kind: ``ws``, ``comment``, ``iri``, ``string``, ``var``, ``lang``,
``number``, ``pname``, ``word`` (keywords and function names) and ``op`` (anything else, one
operator or character). Strings, IRIs and comments are whole tokens, so a keyword inside them is
never taken for one.

>>> [m.lastgroup for m in TOKEN.finditer('SELECT ?s { ?s rdfs:label "DROP"@ja } # LOAD')]
['word', 'ws', 'var', 'ws', 'op', 'ws', 'var', 'ws', 'pname', 'ws', 'string', 'lang', 'ws', 'op', 'ws', 'comment']
"""

from __future__ import annotations

import re

__all__ = ["TOKEN"]

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+)
  | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.\-:%\u00B7]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<op>&&|\|\||!=|<=|>=|\^\^|.)
    """,
    re.VERBOSE | re.DOTALL,
)
