// The query page: runs the query with fetch(), shows SPARQL JSON results as a table whose IRIs
// link to their pages, and offers every format as a download. Works without CodeMirror.
(function () {
  "use strict";
  const app = document.getElementById("query-app");
  if (!app) return;
  const base = app.dataset.base;
  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const notice = document.getElementById("notice");
  const downloads = document.getElementById("downloads");
  let editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
    });
  } else {
    textarea.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
  }
  const getQuery = () => (editor ? editor.getValue() : textarea.value);
  const setQuery = (q) => { if (editor) editor.setValue(q); else textarea.value = q; };

  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const tpl = document.querySelector(`template[data-example="${button.dataset.name}"]`);
      setQuery(tpl.content.textContent);
      document.querySelectorAll("button.example.selected").forEach((b) => b.classList.remove("selected"));
      button.classList.add("selected");
      run();
    });
  });

  function href(iri) { return iri.startsWith(base) ? "/" + iri.slice(base.length) : iri; }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = href(term.value);
      a.textContent = term.value.startsWith(base + "id/") ? "rid:" + term.value.slice(base.length + 3) : term.value;
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

  async function run(event) {
    if (event && event.preventDefault) event.preventDefault();
    const query = getQuery();
    status.textContent = "Running…";
    notice.hidden = true; results.innerHTML = ""; downloads.hidden = true;
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
      const ms = Math.round(performance.now() - started);
      const text = await response.text();
      if (!response.ok) {
        status.textContent = `Error ${response.status} (${ms} ms)`;
        const pre = document.createElement("pre"); pre.className = "error"; pre.textContent = text;
        results.appendChild(pre);
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      const count = response.headers.get("X-Result-Count");
      if (response.headers.get("X-Result-Truncated") === "true") {
        notice.hidden = false;
        notice.textContent = `Only the first ${response.headers.get("X-Result-Limit")} results are shown: the server caps every answer (KG_RESULT_LIMIT). Add LIMIT/OFFSET to page through.`;
      }
      if (type.includes("sparql-results+json")) {
        const doc = JSON.parse(text);
        if (typeof doc.boolean === "boolean") {
          results.innerHTML = `<p class="boolean">${doc.boolean ? "true" : "false"}</p>`;
          status.textContent = `ASK (${ms} ms)`;
        } else {
          results.appendChild(table(doc));
          const n = doc.results.bindings.length;
          status.textContent = `${n} ${n === 1 ? "row" : "rows"} (${ms} ms)`;
          setDownloads("table", query);
        }
      } else {
        const pre = document.createElement("pre"); pre.className = "graph"; pre.textContent = text;
        results.appendChild(pre);
        status.textContent = `${count} triples (${ms} ms)`;
        setDownloads("graph", query);
      }
    } catch (e) {
      status.textContent = "The server could not be reached: " + e;
    }
  }
  form.addEventListener("submit", run);
})();
