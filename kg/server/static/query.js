// The query page. With YASGUI (from `npm ci --prefix kg/server`): YASQE edits, completing this
// dataset's prefixes, classes and properties from /sparql/terms (never prefix.cc or LOV), and YASR
// shows the result as a table of prefixed, linked IRIs, a chart or a pivot. Without it, the
// textarea runs queries and a plain table shows the result. Either way the URL holds the query
// (/sparql?query=…, to share), a syntax error is marked where the endpoint says it is, and a cut
// result says so.
(function () {
  "use strict";
  const app = document.getElementById("query-app");
  if (!app) return;
  // The page's one language (issue 11, point 7): English with ?lang=en, else Japanese.
  const english = app.dataset.lang === "en";
  const L = (ja, en) => (english ? en : ja);
  const base = app.dataset.base;
  const prefixes = JSON.parse(app.dataset.prefixes || "{}");
  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const notice = document.getElementById("notice");
  const errorBox = document.getElementById("query-error");
  const downloads = document.getElementById("downloads");
  const linkNote = document.getElementById("link-note");
  document.querySelectorAll(".no-script-format").forEach((e) => { e.hidden = true; });

  const Y = window.Yasgui;
  let yasqe = null;
  let yasr = null;
  let errorMarks = [];
  const labels = new Map(); // IRI → its label in the page's language (the other when it has none)

  // ---- YASGUI -------------------------------------------------------------------------------
  if (Y && Y.Yasqe && Y.Yasr) {
    const Yasqe = Y.Yasqe;
    const Yasr = Y.Yasr;
    const terms = fetch(app.dataset.terms, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
      .then((t) => {
        for (const item of [...t.classes, ...t.properties]) {
          const words = (english ? item.en || item.ja : item.ja || item.en) || "";
          if (words) labels.set(item.iri, words);
        }
        return t;
      });
    terms.catch((e) => { status.textContent = L("補完の語彙を読めません: ", "Completions could not be read: ") + e.message; });
    const labelled = (editor, hints) => {
      const declared = editor.getPrefixesFromQuery();
      return hints.map((h) => {
        const i = h.text.indexOf(":");
        const iri = h.text.startsWith("<") ? h.text.slice(1, -1) : (declared[h.text.slice(0, i)] || "") + h.text.slice(i + 1);
        const words = labels.get(iri);
        if (!words) return h;
        return { ...h, displayText: h.text + "  — " + words,
                 render: (elt) => {
                   const code = document.createElement("span"); code.textContent = h.text;
                   const label = document.createElement("span"); label.className = "hint-label"; label.textContent = words;
                   elt.append(code, label);
                 } };
      });
    };
    const iris = (key) => () => terms.then((t) => t[key].map((item) => item.iri), () => []);
    // Our completers, forked from YASQE's so they behave the same, but read from this server.
    Yasqe.forkAutocompleter("prefixes", {
      name: "kg-prefixes", persistenceId: null,
      get: () => terms.then((t) => Object.keys(t.prefixes).sort().map((p) => `${p}: <${t.prefixes[p]}>`), () => []),
    }, false);
    Yasqe.forkAutocompleter("property", { name: "kg-properties", bulk: true, autoShow: true, persistenceId: null,
                                          get: iris("properties"), postprocessHints: labelled }, false);
    Yasqe.forkAutocompleter("class", { name: "kg-classes", bulk: true, autoShow: true, persistenceId: null,
                                       get: iris("classes"), postprocessHints: labelled }, false);
    const holder = document.createElement("div");
    holder.id = "yasqe";
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", holder);
    const runKey = () => { run(); };
    yasqe = new Yasqe(holder, {
      value: textarea.value,
      persistenceId: null, // the query lives in the URL, not in localStorage
      consumeShareLink: null,
      createShareableLink: () => shareUrl(getQuery()),
      showQueryButton: false, // the page's Run button runs it
      autocompleters: ["variables", "kg-prefixes", "kg-properties", "kg-classes"],
      editorHeight: "18rem",
      requestConfig: { endpoint: "/sparql", method: "POST" },
      extraKeys: { "Ctrl-Enter": runKey, "Cmd-Enter": runKey },
    });
    Yasr.plugins.table.defaults.openIriInNewWindow = false;
    Yasr.plugins.table.defaults.tableConfig.language = {
      ...Yasr.plugins.table.defaults.tableConfig.language,
      info: L("_TOTAL_ 件中 _START_–_END_ 件", "_START_ to _END_ of _TOTAL_"),
      infoEmpty: L("0 件", "No rows"), infoFiltered: L("（_MAX_ 件から絞り込み）", " (filtered from _MAX_)"),
      zeroRecords: L("該当する行はありません", "No matching rows"), emptyTable: L("結果は 0 行です", "No rows"),
    };
    yasr = new Yasr(results, {
      prefixes: prefixes,
      persistenceId: null,
      pluginOrder: ["table", "chart", "pivot", "response"],
      defaultPlugin: "table",
    });
    yasr.on("drawn", () => bilingual(results));
    bilingual(results);
    // IRIs of this dataset link to this server's pages (the base may be w3id.org).
    new MutationObserver(() => localLinks(results)).observe(results, { childList: true, subtree: true });
  } else {
    textarea.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e); });
  }

  /** YASR's own words, in the page's language. */
  function bilingual(root) {
    const words = english ? { "Ellipse": "Ellipsis" }
      : { "Table": "表", "Response": "応答", "Simple view": "簡易表示", "Ellipse": "省略",
          "Page size: ": "1ページの行数: ", "True": "はい", "False": "いいえ" };
    root.querySelectorAll(".yasr_btn span, .tableControls .label, .pageSizerLabel, .booleanResult span").forEach((e) => {
      if (words[e.textContent]) e.textContent = words[e.textContent];
    });
    root.querySelectorAll(".tableFilter").forEach((e) => { e.placeholder = L("絞り込み", "Filter"); });
  }

  function getQuery() { return yasqe ? yasqe.getValue() : textarea.value; }
  function setQuery(q) { if (yasqe) yasqe.setValue(q); else textarea.value = q; }
  function shareUrl(query) { return location.origin + "/sparql?" + new URLSearchParams(english ? { query: query, lang: "en" } : { query: query }); }
  function localPath(iri) {
    if (!iri.startsWith(base)) return iri;
    const [path, ...fragment] = ("/" + iri.slice(base.length)).split("#");
    const lang = english && !path.includes("?") ? "?lang=en" : ""; // our pages stay in English
    return path + lang + (fragment.length ? "#" + fragment.join("#") : "");
  }
  function localLinks(root) {
    root.querySelectorAll(`a[href^="${CSS.escape(base)}"]`).forEach((a) => { a.href = localPath(a.href); });
  }

  // What the picked example shows on the published dataset (its header's published-ja/-en),
  // said above its result while the editor holds its text.
  const exampleNote = document.getElementById("example-note");
  let picked = null;
  function showExampleNote(query) {
    const note = picked && query.trim() === picked.text.trim() ? picked.note : null;
    exampleNote.hidden = !(note && note.textContent.trim());
    exampleNote.replaceChildren(...(exampleNote.hidden ? [] : Array.from(note.cloneNode(true).childNodes)));
  }
  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const tpl = document.querySelector(`template[data-example="${button.dataset.name}"]`);
      setQuery(tpl.content.textContent);
      picked = { text: tpl.content.textContent, note: document.querySelector(`[data-published="${button.dataset.name}"]`) };
      document.querySelectorAll("button.example.selected").forEach((b) => b.classList.remove("selected"));
      button.classList.add("selected");
      run();
    });
  });

  // ---- errors ---------------------------------------------------------------------------------
  /** "error at 3:14: expected one of …" in the endpoint's 400 body → {line, column, expected}. */
  function syntaxError(text) {
    const m = /error at (\d+):(\d+):\s*([\s\S]*)/.exec(text);
    if (!m) return null;
    return { line: Number(m[1]), column: Number(m[2]), expected: m[3].trim() };
  }

  /** The parser's list of expected tokens in words: character classes become "a name", "a number". */
  function expectedInWords(expected) {
    const list = expected.replace(/^expected one of\s*/i, "").replace(/^expected\s*/i, "");
    const parts = [];
    let name = false, number = false;
    for (const raw of list.split(/,\s*(?=["A-Z\[]|'|\$)/)) {
      const p = raw.trim();
      if (!p) continue;
      if (p.includes("..=") || p === "[_]" || p.startsWith("|")) {
        if (p.includes("'0'..='9'")) number = true; else name = true;
        continue;
      }
      parts.push(p.replace(/^"(.*)"$/, "$1"));
    }
    const words = parts.slice(0, 24).map((p) => "“" + p + "”");
    if (parts.length > 24) words.push("…");
    if (number) words.push(L("数", "a number"));
    if (name) words.push(L("名前", "a name"));
    return words.join(", ");
  }

  /** What stands at the position: the undeclared prefixed name, or the next word, or the end of the line. */
  function explain(se, query) {
    const text = query.split("\n")[se.line - 1] || "";
    const ch = se.column - 1;
    const prefixed = /(?:[A-Za-z][\w.-]*)?:[\w.-]*$/.exec(text.slice(0, ch));
    if (/Prefix not found/.test(se.expected) && prefixed) {
      const name = prefixed[0].slice(0, prefixed[0].indexOf(":") + 1);
      return { from: prefixed.index, to: ch,
               ja: `接頭辞 ${name} が宣言されていません（PREFIX ${name} <…> を先頭に書いてください）。`,
               en: `The prefix ${name} is not declared (add PREFIX ${name} <…> at the top).` };
    }
    const rest = text.slice(ch).trim();
    const at = rest ? "“" + rest.split(/\s+/)[0].slice(0, 30) + "”" : "";
    return { from: ch, to: Math.min(ch + 1, text.length),
             ja: at ? `${at} の位置で問い合わせを読めません。` : "行末で問い合わせが途切れています。",
             en: at ? `The query cannot be read from ${at} on.` : "The query stops short at the end of the line.",
             expected: L("ここに書けるもの: ", "Expected here: ") + expectedInWords(se.expected) };
  }

  function errorElement(httpStatus, text) {
    const div = document.createElement("div");
    div.className = "query-error-text";
    const se = syntaxError(text || "");
    const p = document.createElement("p");
    if (se) {
      const why = explain(se, getQuery());
      p.textContent = L(`構文エラー: ${se.line} 行 ${se.column} 文字目。${why.ja}`,
                        `Syntax error at line ${se.line}, column ${se.column}. ${why.en}`);
      div.append(p);
      if (why.expected) div.append(Object.assign(document.createElement("p"), { className: "expected", textContent: why.expected }));
    } else {
      p.textContent = `${L("エラー", "Error")} ${httpStatus || ""}`;
      div.append(p);
    }
    const pre = document.createElement("pre");
    pre.className = "error";
    pre.textContent = text;
    div.append(pre);
    return div;
  }

  function clearErrors() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    if (yasqe) {
      errorMarks.forEach((m) => m.clear());
      yasqe.clearGutter("gutterErrorBar");
    }
    errorMarks = [];
  }

  /** Mark the endpoint's error position in the editor: the character, a gutter sign, a line of words. */
  function markError(httpStatus, text) {
    const se = syntaxError(text);
    errorBox.hidden = false;
    errorBox.replaceChildren(errorElement(httpStatus, text));
    if (!se) return;
    const line = se.line - 1;
    const why = explain(se, getQuery());
    if (yasqe) {
      const from = { line: line, ch: why.from };
      const to = { line: line, ch: why.to };
      if (to.ch > from.ch) errorMarks.push(yasqe.markText(from, to, { className: "query-error-mark", title: text }));
      else {
        const caret = document.createElement("span");
        caret.className = "query-error-mark query-error-end";
        caret.textContent = "␣";
        errorMarks.push(yasqe.setBookmark(from, { widget: caret }));
      }
      const sign = document.createElement("span");
      sign.className = "query-error-gutter";
      sign.textContent = "✖";
      sign.title = `${se.line}:${se.column}`;
      yasqe.setGutterMarker(line, "gutterErrorBar", sign);
      const words = document.createElement("div");
      words.className = "query-error-line";
      words.style.paddingLeft = `${Math.max(0, why.from)}ch`; // under the marked character
      words.textContent = `↑ ${se.line}:${se.column} ${why.ja} ${why.en}`;
      errorMarks.push(yasqe.addLineWidget(line, words));
      yasqe.setCursor(from);
    } else {
      const lines = textarea.value.split("\n");
      let offset = 0;
      for (let i = 0; i < line && i < lines.length; i++) offset += lines[i].length + 1;
      textarea.focus();
      textarea.setSelectionRange(offset + why.from, offset + Math.max(why.to, why.from + 1));
    }
  }

  // ---- results without YASR -------------------------------------------------------------------
  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localPath(term.value);
      a.textContent = window.KgResultViews ? window.KgResultViews.show(term, prefixes) : term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value; td.className = "bnode";
    } else if (term.type === "triple") {
      td.textContent = "<< " + JSON.stringify(term.value) + " >>";
    } else {
      const span = document.createElement("span");
      span.textContent = term.value;
      if (term["xml:lang"]) { span.lang = term["xml:lang"]; span.title = "@" + term["xml:lang"]; }
      else if (term.datatype) { span.title = term.datatype; td.className = "typed"; }
      td.appendChild(span);
    }
    return td;
  }

  function table(doc) {
    const t = document.createElement("table");
    t.className = "results-table";
    const head = t.createTHead().insertRow();
    const vars = doc.head.vars || [];
    ["#"].concat(vars).forEach((v, i) => { const th = document.createElement("th"); th.textContent = i ? "?" + v : v; head.appendChild(th); });
    const body = t.createTBody();
    doc.results.bindings.forEach((b, i) => {
      const tr = body.insertRow();
      const n = document.createElement("td"); n.textContent = i + 1; n.className = "num"; tr.appendChild(n);
      vars.forEach((v) => tr.appendChild(cell(b[v])));
    });
    return t;
  }

  function setDownloads(kind, query) {
    downloads.hidden = false;
    downloads.querySelectorAll("[data-kind]").forEach((s) => { s.hidden = s.dataset.kind !== kind; });
    downloads.querySelectorAll("a[data-format]").forEach((a) => {
      a.href = "/sparql?" + new URLSearchParams({ query: query, format: a.dataset.format, download: "1" });
    });
  }

  function count(n, ja, one, many) { return english ? `${n} ${n === 1 ? one : many}` : `${n} ${ja}`; }

  // ---- running ----------------------------------------------------------------------------------
  let running = 0;
  async function run(event, fromHistory) {
    if (event && event.preventDefault) event.preventDefault();
    const query = getQuery();
    const url = shareUrl(query);
    const tooLong = new TextEncoder().encode(url.slice(location.origin.length)).length > Number(app.dataset.maxUrl);
    if (tooLong) history.replaceState(null, "", L("/sparql", "/sparql?lang=en")); // the server would refuse such a link (414)
    else if (!fromHistory && url !== location.href) history.pushState({ query: query }, "", url);
    linkNote.hidden = !tooLong;
    const ticket = ++running;
    showExampleNote(query);
    status.textContent = L("実行中…", "Running…");
    notice.hidden = true; downloads.hidden = true;
    clearErrors();
    if (!yasr) results.replaceChildren();
    const started = performance.now();
    let response, text;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
      text = await response.text();
    } catch (e) {
      status.textContent = L("サーバーに接続できません: ", "The server could not be reached: ") + e;
      return;
    }
    if (ticket !== running) return; // a later run has started
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = `${L("エラー", "Error")} ${response.status} (${ms} ms)`;
      markError(response.status, text);
      if (yasr) results.hidden = true;
      return;
    }
    results.hidden = false;
    const type = response.headers.get("Content-Type") || "";
    if (response.headers.get("X-Result-Truncated") === "true") {
      const limit = response.headers.get("X-Result-Limit");
      notice.hidden = false;
      notice.textContent = L(
        `結果は上限の ${limit} 件で切られています（KG_RESULT_LIMIT）。続きは LIMIT と OFFSET で取り出してください。`,
        `Only the first ${limit} results are shown: the server caps every answer (KG_RESULT_LIMIT). Add LIMIT/OFFSET to page through.`);
    }
    let summary, isAsk = false;
    const isTable = type.includes("sparql-results+json");
    if (isTable) {
      const doc = JSON.parse(text);
      isAsk = typeof doc.boolean === "boolean";
      summary = isAsk ? `ASK: ${doc.boolean}` : count(doc.results.bindings.length, "行", "row", "rows");
      if (!yasr) {
        if (typeof doc.boolean === "boolean") {
          results.replaceChildren(Object.assign(document.createElement("p"), { className: "boolean", textContent: String(doc.boolean) }));
        } else {
          results.replaceChildren(table(doc));
        }
      }
    } else {
      summary = count(Number(response.headers.get("X-Result-Count")), "トリプル", "triple", "triples");
      if (!yasr) {
        results.replaceChildren(Object.assign(document.createElement("pre"), { className: "graph", textContent: text }));
      }
    }
    if (yasr) {
      yasr.setResponse({ ok: true, status: response.status, statusText: response.statusText,
                         headers: response.headers, type: response.type, content: text }, ms);
    }
    status.textContent = `${summary} (${ms} ms)`;
    if (!isAsk) setDownloads(isTable ? "table" : "graph", query);
  }

  form.addEventListener("submit", run);
  window.addEventListener("popstate", () => {
    const q = new URLSearchParams(location.search).get("query");
    if (q !== null) { setQuery(q); run(null, true); }
  });
  if (app.dataset.run) {
    history.replaceState({ query: getQuery() }, "", shareUrl(getQuery()));
    run(null, true);
  }
})();
