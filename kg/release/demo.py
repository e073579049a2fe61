"""The demo dataset: the published texts with the composed texts of the query tests, kept apart.

The published dataset holds few agreements (today one), so an example that compares agreements
answers nothing there. ``kg demo`` builds a second dataset in which every example query and every
comparison can be tried: the texts of ``data/sources`` and the composed fixture texts of
``tests/data/queries/sources`` (tests/data/queries/README.md says what each is), with the same
reference data. So that nobody mistakes it for the real data, it is

- built into its own folder, ``build/demo/`` (``KG_BUILD_DIR``/demo), never ``build/current``;
- minted under its own base IRI, :data:`DEMO_BASE` (``https://w3id.org/renkei/demo/``);
- marked in its graphs: each composed text's source document is ``prov:wasGeneratedBy`` the
  composition (an activity described in ``graph/demo``) and it and its agreement carry a
  ``skos:note`` saying the text is composed; the catalogue's titles and descriptions of the
  catalogue and the dataset say "demo"; the manifest has a ``demo`` entry;
- marked in its pages: :func:`mark_templates` sets the templates' global ``demo``, which the
  pages' base template shows as a banner.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.errors import BuildError, KgError
from kg.namespaces import DCT, RENKEI, bind_prefixes
from kg.release.manifest import Demo, Manifest
from kg.settings import Settings
from kg.store.release import Release

__all__ = [
    "BANNER_EN", "BANNER_JA", "DEMO_BASE", "NOTE_EN", "NOTE_JA", "build_demo", "composed_sources",
    "demo_settings", "is_demo", "mark_templates",
]

#: The base IRI of the demo dataset: beside the published data's, never inside its ``id/``.
DEMO_BASE = "https://w3id.org/renkei/demo/"
#: Where the composed texts live in the repository (the query tests' fixture texts).
COMPOSED_DIR = Path("tests") / "data" / "queries" / "sources"
#: The banner every page of the demo shows.
BANNER_JA = "デモデータ：架空の協約を含む作例です"
BANNER_EN = "Demo data: composed examples, not real agreements"
#: What the catalogue and the composed texts' notes say.
NOTE_JA = ("デモデータ：公開データの協約に、試験用に作った架空の協約の本文（作例）を加えたデータセット。"
           "作例の当事者・日付・圏域は実在するが、文言は実在の協約のものではない。"
           "実際のデータは https://w3id.org/renkei/ の公開データを見ること。")
NOTE_EN = ("Demo data: the published agreements together with composed agreement texts made for the "
           "tests. The composed texts name real parties, dates and areas, but their wording is not that "
           "of any real agreement. For the real data, see the published dataset at https://w3id.org/renkei/.")
_COMPOSED_JA = "作例：この本文は試験とデモのために作ったもので、実在の協約の本文ではない。"
_COMPOSED_EN = "Composed: this text was made for the tests and the demo; it is not the text of a real agreement."


def demo_settings(settings: Settings) -> Settings:
    """``settings`` moved to the demo: base :data:`DEMO_BASE`, builds in ``build/demo/``, and the
    data folder ``build/demo/data`` that :func:`build_demo` assembles."""
    folder = settings.build_path / "demo"
    return settings.model_copy(update={"base_iri": DEMO_BASE, "build_dir": folder, "data_dir": folder / "data"})


def composed_sources(settings: Settings) -> list[Path]:
    """The composed texts, by name; a KgError when the repository's tests are not there."""
    folder = settings.root / COMPOSED_DIR
    texts = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not texts:
        raise KgError("no composed texts to build the demo from: kg demo runs in a checkout of the repository",
                      file=folder, ja="デモを作る作例の本文がない：kg demo はリポジトリを取得したフォルダで実行する",
                      fix="run it from the repository (git clone), where tests/data/queries/sources is",
                      fix_ja="tests/data/queries/sources のあるリポジトリのフォルダで実行する")
    return texts


def _assemble(settings: Settings, demo: Settings) -> set[str]:
    """Write the demo's data folder: the published texts and the composed ones copied into
    ``sources/`` (files no longer wanted removed), ``reference/`` a link to the real reference
    data. Returns the composed texts' file names."""
    from kg.release.build import source_files

    composed = composed_sources(settings)
    published = source_files(settings)
    clash = {p.name for p in published} & {p.name for p in composed}
    if clash:
        raise BuildError(f"a composed text has the name of a published one: {', '.join(sorted(clash))}",
                         file=settings.root / COMPOSED_DIR,
                         ja=f"作例の本文に公開データの本文と同じ名前のものがある：{'、'.join(sorted(clash))}")
    sources = demo.data_path / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for p in (*published, *composed)}
    for old in sources.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name, path in wanted.items():
        target = sources / name
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)
    reference = demo.data_path / "reference"
    real = (settings.data_path / "reference").resolve()
    if reference.is_symlink() and reference.resolve() != real:
        reference.unlink()
    if not reference.exists():
        reference.symlink_to(real, target_is_directory=True)
    return {p.name for p in composed}


def _composition_graph(ids_base: str) -> Graph:
    """``graph/demo``: the activity that made the composed texts."""
    g = Graph()
    bind_prefixes(g, ids_base)
    activity = URIRef(ids_base + "id/activity/composition")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal("作例の作成", lang="ja")))
    g.add((activity, RDFS.label, Literal("Composing the example texts", lang="en")))
    g.add((activity, DCT.description, Literal(NOTE_JA, lang="ja")))
    g.add((activity, DCT.description, Literal(NOTE_EN, lang="en")))
    return g


def _mark_composed(store: ox.Store, base: str, composed: set[str]) -> list[str]:
    """In each graph read from a composed text, say so on its source document and its agreement
    (or amendment); returns the graphs marked."""
    activity = ox.NamedNode(base + "id/activity/composition")
    found = store.query(f"""SELECT ?g ?doc ?file {{ GRAPH ?g {{
        ?doc a <{RENKEI.SourceDocument}> ; <{DCT.title}> ?file }} }}""")
    assert isinstance(found, ox.QuerySolutions)
    notes = [ox.Literal(_COMPOSED_JA, language="ja"), ox.Literal(_COMPOSED_EN, language="en")]
    marked: list[str] = []
    seen: set[str] = set()
    for row in list(found):
        graph, doc, file = row["g"], row["doc"], row["file"]
        if not isinstance(graph, ox.NamedNode) or not isinstance(file, ox.Literal):
            continue
        seen.add(file.value)
        if file.value not in composed:
            continue
        instrument = ox.NamedNode(base + "id/" + graph.value.removeprefix(base + "graph/"))
        quads = [ox.Quad(doc, ox.NamedNode(str(PROV.wasGeneratedBy)), activity, graph)]
        quads += [ox.Quad(s, ox.NamedNode(str(SKOS.note)), n, graph) for s in (doc, instrument) for n in notes]
        store.extend(quads)
        marked.append(graph.value)
    if composed - seen:
        missing = "、".join(sorted(composed - seen))
        raise BuildError(f"the demo build holds no source document for {', '.join(sorted(composed - seen))}",
                         ja=f"デモのビルドに作例 {missing} の出典がない")
    return sorted(marked)


def _mark_catalogue(g: Graph, base: str) -> None:
    """The catalogue and the dataset titled and described as the demo."""
    for node, ja, en in (
        (URIRef(base + "id/catalog"), "【デモ】連携協約ナレッジグラフ カタログ", "[Demo] renkei-kg catalogue"),
        (URIRef(base + "id/dataset"), "【デモ】連携中枢都市圏 連携協約ナレッジグラフ（作例を含む）",
         "[Demo] Knowledge graph of cooperation agreements, with composed examples"),
    ):
        g.remove((node, DCT.title, None))
        g.remove((node, DCT.description, None))
        g.add((node, DCT.title, Literal(ja, lang="ja")))
        g.add((node, DCT.title, Literal(en, lang="en")))
        g.add((node, DCT.description, Literal(NOTE_JA, lang="ja")))
        g.add((node, DCT.description, Literal(NOTE_EN, lang="en")))
    g.add((URIRef(base + "id/dataset"), PROV.wasGeneratedBy, URIRef(base + "id/activity/composition")))


def _mark(release: Release, demo: Settings, composed: set[str]) -> None:
    """Mark a fresh demo release as composed: its graphs, dumps, catalogue and manifest."""
    from kg.release.catalogue import CATALOG_FILE, catalog_graph
    from kg.release.dumps import store_parts, write_dumps

    base = demo.base_iri
    catalog = ox.NamedNode(str(demo.ids.graph("catalog")))
    demo_graph = ox.NamedNode(str(demo.ids.graph("demo")))
    store = ox.Store(str(release.store_path))
    try:
        marked = _mark_composed(store, base, composed)
        store.load(_composition_graph(base).serialize(format="nt", encoding="utf-8"),
                   format=ox.RdfFormat.N_TRIPLES, to_graph=demo_graph)
        write_dumps(store_parts(store, base, exclude={catalog}), release.dumps_path)
        assert release.manifest is not None  # a release kg build just wrote
        graphs = {str(g.value): sum(1 for _ in store.quads_for_pattern(None, None, None, g))
                  for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g != catalog}
        manifest = release.manifest.model_copy(update={
            "graphs": graphs, "demo": Demo(base_iri=base, composed=sorted(composed), graphs_marked=marked,
                                           note_ja=NOTE_JA, note_en=NOTE_EN)})
        cat = catalog_graph(store, release.dumps_path, manifest, demo)
        _mark_catalogue(cat, base)
        cat.serialize(destination=release.dumps_path / CATALOG_FILE, format="turtle", encoding="utf-8")
        store.remove_graph(catalog)
        store.load(cat.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=catalog)
        graphs[catalog.value] = len(cat)
        manifest = manifest.model_copy(update={"graphs": graphs, "quads": len(store)})
        store.flush()
    finally:
        del store
    manifest.write(release.path)


def is_demo(manifest: Manifest | None) -> bool:
    """Whether a release's manifest is that of a demo build."""
    return manifest is not None and manifest.demo is not None


def build_demo(settings: Settings, *, force: bool = False) -> Release:
    """Build the demo dataset (when its inputs changed) into ``build/demo/`` and return its release."""
    from kg.release.build import build

    demo = demo_settings(settings)
    composed = _assemble(settings, demo)
    release = build(demo, force=force)
    if not is_demo(release.manifest):
        _mark(release, demo, composed)
        release = Release.open(release.path)
    return release


def mark_templates(env: Environment) -> None:
    """Tell the page templates that they show the demo: the global ``demo`` (True), which the pages'
    base template turns into the banner ``BANNER_JA／BANNER_EN`` (also given as ``demo_banner``)::

        {% if demo %}<p class="demo-banner" role="note"><span lang="ja">デモデータ：架空の協約を含む作例です</span>／
        <span lang="en">Demo data: composed examples, not real agreements</span></p>{% endif %}
    """
    env.globals["demo"] = True
    env.globals["demo_banner"] = {"ja": BANNER_JA, "en": BANNER_EN}
