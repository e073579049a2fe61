"""page_text: HTML → lines as a browser shows them, tables as tab-separated rows, chrome left out."""

from __future__ import annotations

import pytest

from kg.ingest.page_text import page_lines


def _texts(html: str) -> list[str]:
    return [text for _, text in page_lines(html)]


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>一<p>二<div>三</div>四", ["一", "二", "三", "四"]),
    ("<p>連携協\n約を締結する。</p>", ["連携協約を締結する。"]),
    ("<p>I C T\n infrastructure</p>", ["I C T infrastructure"]),
    ("<p>第1条&nbsp;目的&#12288;とする。</p>", ["第1条 目的\u3000とする。"]),
    ("<p>甲<br>乙<br/>丙</p>", ["甲", "乙", "丙"]),
    ("<ul><li>一<li>二</ul>", ["一", "二"]),
    ("<p>見える</p><p hidden>隠れた</p><p aria-hidden=\"true\">隠れた</p>", ["見える"]),
], ids=["implied-p-ends", "segment-break-between-kanji", "segment-break-between-latin",
        "nbsp-and-ideographic-space", "br", "implied-li-ends", "hidden"])
def test_blocks_and_white_space(html: str, expected: list[str]) -> None:
    assert _texts(html) == expected


def test_rowspan_repeats_the_cell_and_colspan_pads_the_row() -> None:
    html = ("<table><tr><th>分野</th><th>取組</th><th>内容</th></tr>"
            "<tr><td rowspan=2>経済</td><td>観光</td><td>誘客</td></tr>"
            "<tr><td>創業<td>支援</tr>"
            "<tr><td colspan=2>医療と福祉</td><td>確保</td></tr></table>")
    assert _texts(html) == ["分野\t取組\t内容", "経済\t観光\t誘客", "経済\t創業\t支援", "医療と福祉\t\t確保"]


def test_a_row_of_one_cell_is_a_plain_line_and_empty_rows_vanish() -> None:
    html = ("<table><tr><td colspan=3>2 高次の都市機能</td></tr><tr><td></td><td> </td></tr>"
            "<tr><td>a</td><td>b</td></tr></table>")
    assert _texts(html) == ["2 高次の都市機能", "a\tb"]


def test_a_layout_table_is_read_as_blocks() -> None:
    html = ("<table><tr><td><p>第1条 目的</p><table><tr><td>取組</td><td>内容</td></tr></table></td></tr></table>"
            "<table><tr><td>第2条 方針</td></tr><tr><td>第3条 取組</td></tr></table>")
    assert _texts(html) == ["第1条 目的", "取組\t内容", "第2条 方針", "第3条 取組"]


def test_tabs_inside_a_cell_do_not_make_columns() -> None:
    assert _texts("<table><tr><td>a\tb</td><td>c</td></tr></table>") == ["a b\tc"]


@pytest.mark.parametrize(("html", "expected"), [
    ('<div id="header">市のサイト</div><p>本文</p>', ["本文"]),
    ('<div class="law-header"><p>○題名</p></div><p>本文</p>', ["○題名", "本文"]),
    ("<header>市のサイト</header><main><article><header><h2>題名</h2></header><p>本文</p></article></main>",
     ["題名", "本文"]),
    ('<div class="pankuzu">ホーム &gt; 例規</div><div class="gnav-menu">検索</div><p>本文</p>', ["本文"]),
    ("<main><p>本文</p></main><p>ページの外</p>", ["本文"]),
    ("<p>本文</p><footer>著作権</footer><script>var x = '第1条';</script><style>p{}</style>", ["本文"]),
], ids=["header-id", "header-class-holds-the-title", "article-header-kept", "breadcrumb-and-menu", "main-only",
        "footer-script-style"])
def test_chrome_is_left_out(html: str, expected: list[str]) -> None:
    assert _texts(html) == expected


def test_each_line_keeps_the_html_line_of_its_first_text() -> None:
    html = "<html>\n<body>\n<p>\n甲\n</p>\n<table>\n<tr>\n<td>a</td><td>b</td>\n</tr>\n</table>"
    assert page_lines(html) == [(4, "甲"), (7, "a\tb")]
