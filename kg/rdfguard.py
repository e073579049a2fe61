"""Checks an RDF input passes before any parser sees it: small hostile inputs are refused, not parsed.

Each check is linear in the input and names the limit it enforces (issue 14, points 3 and 4):

* **RDF/XML with a document type declaration** is refused: a DTD declares entities, and a 1 KB file
  of nested entities ("billion laughs") expands to gigabytes in any parser that honours them; an
  external DTD or entity makes the parser read a file or URL. RDF/XML needs no DTD (RDF 1.1 XML
  Syntax §2.1 uses none), so the refusal costs nothing legitimate. Found with Python's expat, which
  stops at the ``<!DOCTYPE`` before expanding anything (as defusedxml does).
* **JSON (JSON-LD) nested deeper than** :data:`MAX_JSON_DEPTH` arrays and objects is refused: the
  parsers recurse on nesting.
* **JSON-LD that names a context by IRI or imports one** (JSON-LD 1.1 §3.1, §4.1.10) is refused
  unless the caller allows it: rdflib dereferences such contexts, i.e. fetches any URL or reads any
  local file a relative IRI resolves to. The server never allows it; ``kg validate`` does with
  ``--allow-remote``.

>>> refuse_dtd(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
>>> json_depth(b'{"a": [1, {"b": "[[["}]}')
3
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from pathlib import Path

from kg.errors import InputError

__all__ = [
    "MAX_JSON_DEPTH", "MAX_TURTLE_DEPTH", "MAX_XML_DEPTH", "check_rdf", "json_depth", "refuse_deep_json",
    "refuse_deep_turtle", "refuse_dtd", "refuse_remote_contexts",
]

#: How deep arrays and objects may nest in a JSON-LD document. ``kg ingest`` writes 5 levels; the
#: JSON-LD 1.1 examples stay under 10. Python's json parser recurses once per level.
MAX_JSON_DEPTH = 64

#: How deep elements may nest in RDF/XML (each level of striped syntax is two: property, node).
MAX_XML_DEPTH = 256
#: How deep blank-node brackets ``[]`` and collections ``()`` may nest in Turtle and TriG: rdflib's
#: parser recurses several frames per level (2,000 levels reach Python's recursion limit).
MAX_TURTLE_DEPTH = 64

#: How deep elements may nest in RDF/XML (each level of striped syntax is two: property, node).
MAX_XML_DEPTH = 256
#: How deep blank-node brackets ``[]`` and collections ``()`` may nest in Turtle and TriG: rdflib's
#: parser recurses several frames per level (a few hundred levels reach Python's recursion limit).
MAX_TURTLE_DEPTH = 64

#: A JSON string (skipped whole: brackets inside it do not nest) or one bracket.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
#: A Turtle string, IRI or comment (skipped whole), or one bracket or parenthesis (Turtle 1.1 §6.5).
_TURTLE_TOKEN = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|[\[\]()]', re.DOTALL)
_OPENING, _CLOSING = frozenset({b"[", b"{", b"("}), frozenset({b"]", b"}", b")"})

#: How the caller says a remote context may be fetched: (English, Japanese). ``None``: it may not.
Allow = tuple[str, str] | None

_SERVER = ("this server fetches nothing on a client's behalf: write the context inline",
           "このサーバーは外部から何も取得しません。@context の内容を本文の中に直接書いてください。")


class _TooDeep(Exception):
    """An element nested past the limit."""


class _Doctype(Exception):
    """A document type declaration."""


def refuse_dtd(data: bytes, file: str | Path | None = None, limit: int = MAX_XML_DEPTH) -> None:
    """Refuse XML with a document type declaration (``<!DOCTYPE``, where entities are declared), or
    with elements nested deeper than ``limit``.

    expat reads the document without expanding anything: the declaration is refused as it starts,
    before any entity is declared. An XML syntax error is left to the RDF parser, which names its line.
    """
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def doctype(*_args: object) -> None:
        raise _Doctype

    def start(*_args: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _TooDeep

    def end(*_args: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Doctype:
        raise InputError(
            "the RDF/XML declares a document type (<!DOCTYPE …>): DTDs and the entities they declare are "
            "refused, since a few declared entities can expand to gigabytes (\"billion laughs\") or read "
            "other files; RDF/XML needs no DTD", file=file, line=parser.CurrentLineNumber, where="<!DOCTYPE>",
            ja="RDF/XML に文書型宣言（<!DOCTYPE …>）があります。DTD とそこで宣言される実体は受け付けません"
               "（わずかな宣言が数ギガバイトに展開されたり、他のファイルを読み込んだりするため）。RDF/XML に DTD は"
               "不要です。",
            fix="remove the <!DOCTYPE …> declaration and write entity references (&name;) out in full",
            fix_ja="<!DOCTYPE …> の宣言を削除し、実体参照（&名前;）は展開した形で書いてください。",
        ) from None
    except _TooDeep:
        raise InputError(
            f"the RDF/XML nests elements more than {limit} deep (kg.rdfguard.MAX_XML_DEPTH)", file=file,
            line=parser.CurrentLineNumber, where="XML",
            ja=f"RDF/XML の要素の入れ子が {limit} 段を超えています（上限 kg.rdfguard.MAX_XML_DEPTH）。",
            fix="describe nested resources by rdf:about / rdf:nodeID references rather than by nesting",
            fix_ja="入れ子にせず、rdf:about や rdf:nodeID による参照で記述してください。",
        ) from None
    except xml.parsers.expat.ExpatError:
        return


def json_depth(data: bytes) -> int:
    """How deep arrays and objects nest in the JSON text ``data`` (brackets in strings do not count)."""
    return _deepest(data, _JSON_TOKEN)[0]


def _deepest(data: bytes, tokens: re.Pattern[bytes]) -> tuple[int, int]:
    """The deepest nesting of brackets among ``tokens`` in ``data`` (other tokens — strings, IRIs,
    comments — are skipped whole) and the offset of the bracket that first reaches it."""
    depth = deepest = where = 0
    for m in tokens.finditer(data):
        token = m.group()
        if token in _OPENING:
            depth += 1
            if depth > deepest:
                deepest, where = depth, m.start()
        elif token in _CLOSING:
            depth -= 1
    return deepest, where


def refuse_deep_json(data: bytes, file: str | Path | None = None, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` arrays and objects, before any parser recurses into it."""
    depth, offset = _deepest(data, _JSON_TOKEN)
    if depth > limit:
        raise InputError(
            f"the JSON nests arrays and objects {depth} deep; the limit is {limit} (kg.rdfguard.MAX_JSON_DEPTH)",
            file=file, line=data[:offset].count(b"\n") + 1, where="JSON",
            ja=f"JSON の配列・オブジェクトの入れ子が {depth} 段あります。上限は {limit} 段です"
               "（kg.rdfguard.MAX_JSON_DEPTH）。",
            fix=f"flatten the document (JSON-LD's @graph and node references need no more than {limit} levels)",
            fix_ja=f"文書を平らにしてください（JSON-LD は @graph とノード参照で {limit} 段以内に書けます）。",
        )


def refuse_deep_turtle(data: bytes, file: str | Path | None = None, limit: int = MAX_TURTLE_DEPTH) -> None:
    """Refuse Turtle or TriG whose blank nodes ``[]`` and collections ``()`` nest deeper than ``limit``."""
    depth, offset = _deepest(data, _TURTLE_TOKEN)
    if depth > limit:
        raise InputError(
            f"blank nodes [ ] and collections ( ) nest {depth} deep; the limit is {limit} "
            "(kg.rdfguard.MAX_TURTLE_DEPTH)", file=file, line=data[:offset].count(b"\n") + 1,
            ja=f"空白ノード [ ] とコレクション ( ) の入れ子が {depth} 段あります。上限は {limit} 段です"
               "（kg.rdfguard.MAX_TURTLE_DEPTH）。",
            fix="name the nested nodes (_:b1 …) and describe each on its own",
            fix_ja="入れ子のノードに名前（_:b1 など）を付け、それぞれ別に記述してください。",
        )


def refuse_remote_contexts(body: bytes, file: str | Path | None = None, allow: Allow = None) -> None:
    """Refuse JSON-LD that names a context by IRI (JSON-LD 1.1 §3.1) or imports one (§4.1.10).

    Every ``@context`` is looked at, at any depth (scoped contexts too) and in arrays of contexts.
    ``allow`` says, in English and Japanese, how the user may allow the fetch (by default: that
    nothing is fetched on a client's behalf, the server's wording). A context written inline is
    read as usual. JSON too deep to look at is refused (:func:`refuse_deep_json`); text that is not
    JSON is left to the parser, which names its line.
    """
    refuse_deep_json(body, file)
    try:
        stack: list[object] = [json.loads(body)]
    except ValueError:
        return
    how_en, how_ja = allow or _SERVER
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                contexts = value if isinstance(value, list) else [value]
                iri = next((c for c in contexts if isinstance(c, str)), None) if key == "@context" else None
                if iri is not None:
                    raise InputError(
                        f"the JSON-LD names its context by IRI ({iri[:200]!r}), which would have to be fetched",
                        file=file, where="@context",
                        ja=f"JSON-LD が文脈（@context）を IRI（{iri[:200]}）で指定しており、取得が必要です。",
                        fix=how_en, fix_ja=how_ja,
                    )
                if key == "@import":
                    raise InputError(
                        "the JSON-LD imports a context (@import), which would have to be fetched",
                        file=file, where="@import",
                        ja="JSON-LD が文脈を @import で読み込もうとしており、取得が必要です。",
                        fix=how_en, fix_ja=how_ja,
                    )
                stack.append(value)


def check_rdf(data: bytes, rdflib_format: str, file: str | Path | None = None, *, allow_remote: bool = False,
              how_to_allow: Allow = None) -> None:
    """The checks for ``data`` in ``rdflib_format`` ("xml", "json-ld", …) before it is parsed.

    Remote JSON-LD contexts are refused unless ``allow_remote``; ``how_to_allow`` (English,
    Japanese) tells the user how to allow them (by default: they are never fetched).
    """
    if rdflib_format == "xml":
        refuse_dtd(data, file)
    elif rdflib_format in ("turtle", "trig"):
        refuse_deep_turtle(data, file)
    elif rdflib_format == "json-ld":
        if allow_remote:
            refuse_deep_json(data, file)
        else:
            refuse_remote_contexts(data, file, how_to_allow or _SERVER)
