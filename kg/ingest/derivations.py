"""The readings the ingester derives rather than copies (docs/model.md, "Derived"): the wording rule
that gives lead flags, and the description of both rules that every agreement records.

A category comes from the framework alignment (:mod:`kg.ingest.categorise`); a lead flag from the
wording of a role's text (:func:`lead_wording`). :data:`DERIVATIONS` states both rules, in Japanese
and English, for the ``prov:Activity`` nodes the graph builder writes on every agreement.
"""

from __future__ import annotations

from kg.ingest.normalise import key

__all__ = ["DERIVATIONS", "LEAD_WORDS", "lead_wording", "leads"]

#: Wordings by which a role says its party leads (DESIGN.md, ``renkei:lead``); matched on the
#: normalised text, so 「主導する」 and 「中心的な役割を果たす」 count.
LEAD_WORDS = ("主体的に", "中心となって", "中心的な役割", "主導")

#: The derivations recorded on every agreement: (label ja, label en, rule ja, rule en).
DERIVATIONS = {
    "categories": (
        "枠組みの分類への対応付け", "alignment with the framework's categories",
        "取組の名称（なければ内容）に、柱の下の概念のラベル（skos:prefLabel/altLabel/hiddenLabel、正規化済み）が"
        "含まれるとき、その概念を分類とする。最も長いラベルを優先し、名称が「・」「、」「及び」で列挙された項目"
        "それぞれが別の概念を名指すときは、そのすべてを分類とする（docs/framework.md）。",
        "An initiative falls under the concept below its pillar whose normalised label (skos:prefLabel, altLabel "
        "or hiddenLabel) occurs in its title, else its content; the longest label wins, and a title that "
        "enumerates items (・, 、, 及び) naming different concepts falls under each of them (docs/framework.md)."),
    "leads": (
        "主導の判定", "lead flags",
        "役割の本文（正規化済み）に「主体的に」「中心となって」「中心的な役割」「主導」のいずれかがあれば、"
        "その当事者が主導する役割とする（renkei:lead true、該当語は renkei:leadWording）。",
        "A role leads (renkei:lead true) when its normalised text contains 主体的に, 中心となって, 中心的な役割 "
        "or 主導; the wording found is renkei:leadWording."),
}


def lead_wording(text: str) -> str | None:
    """The wording by which a role's text says its party leads (the first of LEAD_WORDS found), or None."""
    k = key(text)
    return next((word for word in LEAD_WORDS if key(word) in k), None)


def leads(text: str) -> bool:
    """True if a role's text says its party leads."""
    return lead_wording(text) is not None
