// Two YASR result views of our own, drawn in the page with no library and no network:
//   chart — an SVG bar chart of a label column and a numeric column (an aggregate such as GROUP BY … COUNT);
//   pivot — a cross-table of two columns, counting rows or summing a numeric column.
// Labels are never cut: the chart's label column is as wide as its longest label.
// Registered with YASR when the YASGUI bundle is loaded; also exposed as window.KgResultViews.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedLong|unsignedInt|unsignedShort|unsignedByte)$/;
  const MAX_BARS = 300;
  // The page's one language (issue 11, point 7), as the query page's data-lang says.
  const app = document.getElementById("query-app");
  const english = !!app && app.dataset.lang === "en";
  const L = (ja, en) => (english ? en : ja);

  function isNumber(term) {
    return !!term && term.type !== "uri" && term.type !== "bnode" &&
      (NUMERIC.test(term.datatype || "") || (!term.datatype && !term["xml:lang"] && /^-?\d+(\.\d+)?$/.test(term.value))) &&
      !Number.isNaN(Number(term.value));
  }

  /** A term as shown to people: an IRI as a prefixed name when a prefix covers it. */
  function show(term, prefixes) {
    if (!term) return "";
    if (term.type === "uri") {
      for (const p of Object.keys(prefixes)) {
        if (term.value.startsWith(prefixes[p])) return p + ":" + term.value.slice(prefixes[p].length);
      }
      return "<" + term.value + ">";
    }
    return term.value;
  }

  function el(tag, attrs, text) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function icon(paths) {
    const svg = el("svg:svg", { viewBox: "0 0 24 24", width: "16", height: "16", "aria-hidden": "true" });
    for (const d of paths) svg.appendChild(el("svg:path", { d: d, fill: "currentColor" }));
    return svg;
  }

  function select(labelJa, labelEn, options, chosen, onChange) {
    const label = el("label", { class: "view-option" });
    label.appendChild(document.createTextNode(L(labelJa, labelEn) + " "));
    const s = el("select");
    options.forEach(([value, text]) => {
      const o = el("option", { value: value }, text);
      if (value === chosen) o.selected = true;
      s.appendChild(o);
    });
    s.addEventListener("change", () => onChange(s.value));
    label.appendChild(s);
    return label;
  }

  function columns(yasr) {
    const vars = yasr.results.getVariables() || [];
    const rows = yasr.results.getBindings() || [];
    const numeric = vars.filter((v) => rows.length && rows.every((r) => !r[v] || isNumber(r[v])) && rows.some((r) => r[v]));
    return { vars, rows, numeric };
  }

  /** What both views share: YASR's plugin fields, the choices made in its controls, a table's columns. */
  class View {
    constructor(yasr, priority, label) {
      this.yasr = yasr;
      this.priority = priority;
      this.label = label;
      this.choice = {};
    }
    /** The result's columns when it is a table with rows (not an ASK, not a graph), else null. */
    table() {
      const results = this.yasr.results;
      if (!results || !results.getBindings || results.getBoolean() !== undefined) return null;
      const found = columns(this.yasr);
      return found.rows.length > 0 && found.vars.length >= 2 ? found : null;
    }
  }

  /** Chart: one bar per row, the label column on the left, the value at the end of each bar. */
  class Chart extends View {
    constructor(yasr) { super(yasr, 5, L("グラフ", "Chart")); }
    canHandleResults() {
      const found = this.table();
      return !!found && found.numeric.length > 0;
    }
    getIcon() { return icon(["M4 20h16v-2H4zM5 16h3V8H5zM10.5 16h3V4h-3zM16 16h3v-6h-3z"]); }
    draw() {
      const { vars, rows, numeric } = columns(this.yasr);
      const value = numeric.includes(this.choice.value) ? this.choice.value : numeric[0];
      const labels = vars.filter((v) => v !== value);
      const labelVar = labels.includes(this.choice.label) ? this.choice.label : (labels.find((v) => !numeric.includes(v)) || labels[0]);
      const box = el("div", { class: "kg-chart" });
      const controls = el("div", { class: "view-controls" });
      controls.appendChild(select("ラベル", "label", labels.map((v) => [v, "?" + v]), labelVar, (v) => { this.choice.label = v; this.yasr.draw(); }));
      controls.appendChild(select("値", "value", numeric.map((v) => [v, "?" + v]), value, (v) => { this.choice.value = v; this.yasr.draw(); }));
      box.appendChild(controls);
      const prefixes = this.yasr.getPrefixes();
      const data = rows.slice(0, MAX_BARS).map((r) => ({ label: show(r[labelVar], prefixes), value: r[value] ? Number(r[value].value) : 0 }));
      if (rows.length > MAX_BARS) {
        box.appendChild(el("p", { class: "view-note" }, L(`最初の ${MAX_BARS} 行（全 ${rows.length} 行）を描いています。`, `First ${MAX_BARS} of ${rows.length} rows drawn.`)));
      }
      box.appendChild(this.svg(data, "?" + labelVar, "?" + value));
      this.yasr.resultsEl.appendChild(box);
      this.fit(box.querySelector("svg"));
    }
    svg(data, labelName, valueName) {
      const bar = 22, gap = 6, top = 28;
      const svg = el("svg:svg", { class: "kg-bars", role: "img", "aria-label": `${valueName} by ${labelName}` });
      svg.appendChild(el("svg:title", {}, `${valueName} / ${labelName}`));
      const max = Math.max(0, ...data.map((d) => d.value));
      const min = Math.min(0, ...data.map((d) => d.value));
      svg.dataset.max = String(max);
      data.forEach((d, i) => {
        const y = top + i * (bar + gap);
        const g = el("svg:g", { class: "bar", "data-value": String(d.value) });
        g.appendChild(el("svg:title", {}, `${d.label}: ${d.value}`));
        g.appendChild(el("svg:text", { class: "label", y: String(y + bar / 2), "dominant-baseline": "middle", "text-anchor": "end" }, d.label));
        g.appendChild(el("svg:rect", { class: "value-bar", y: String(y), height: String(bar), rx: "2" }));
        g.appendChild(el("svg:text", { class: "amount", y: String(y + bar / 2), "dominant-baseline": "middle" }, d.value.toLocaleString()));
        svg.appendChild(g);
      });
      svg.appendChild(el("svg:text", { class: "axis-name", x: "0", y: "16" }, `${valueName} — ${labelName}`));
      svg.dataset.min = String(min);
      svg.dataset.height = String(top + data.length * (bar + gap));
      return svg;
    }
    /** Lay the bars out once the labels are in the page and can be measured. */
    fit(svg) {
      const width = Math.max(480, svg.parentNode.clientWidth || 800);
      const labels = Array.from(svg.querySelectorAll("text.label"));
      const labelWidth = Math.ceil(Math.max(40, ...labels.map((t) => t.getComputedTextLength()))) + 12;
      const amountWidth = 70;
      const plot = Math.max(120, width - labelWidth - amountWidth);
      const max = Number(svg.dataset.max), min = Number(svg.dataset.min);
      const span = max - min || 1;
      const x0 = labelWidth + ((0 - min) / span) * plot;
      svg.querySelectorAll("g.bar").forEach((g) => {
        const v = Number(g.dataset.value);
        const w = (Math.abs(v) / span) * plot;
        const rect = g.querySelector("rect");
        rect.setAttribute("x", String(v >= 0 ? x0 : x0 - w));
        rect.setAttribute("width", String(Math.max(w, 1)));
        g.querySelector("text.label").setAttribute("x", String(labelWidth - 8));
        g.querySelector("text.amount").setAttribute("x", String((v >= 0 ? x0 + w : x0) + 4));
      });
      const total = labelWidth + plot + amountWidth;
      svg.setAttribute("viewBox", `0 0 ${total} ${svg.dataset.height}`);
      svg.setAttribute("width", String(total));
      svg.setAttribute("height", svg.dataset.height);
    }
    download() {
      const svg = this.yasr.resultsEl.querySelector("svg.kg-bars");
      if (!svg) return undefined;
      return { contentType: "image/svg+xml", filename: "chart.svg", title: "SVG",
               getData: () => new XMLSerializer().serializeToString(svg) };
    }
  }

  /** Pivot: the values of one column down, of another across, and in each cell a count or a sum. */
  class Pivot extends View {
    constructor(yasr) { super(yasr, 4, L("ピボット", "Pivot")); }
    canHandleResults() { return !!this.table(); }
    getIcon() { return icon(["M3 3h18v4H3zM3 9h4v12H3zM9 9h12v12H9z"]); }
    draw() {
      const { vars, rows, numeric } = columns(this.yasr);
      const c = this.choice;
      const down = vars.includes(c.down) ? c.down : vars[0];
      const across = vars.includes(c.across) && c.across !== down ? c.across : vars.find((v) => v !== down);
      const sumOptions = numeric.filter((v) => v !== down && v !== across);
      const measure = c.measure === "" || sumOptions.includes(c.measure) ? c.measure : (sumOptions[0] || "");
      const box = el("div", { class: "kg-pivot" });
      const controls = el("div", { class: "view-controls" });
      const opts = vars.map((v) => [v, "?" + v]);
      controls.appendChild(select("行", "rows", opts, down, (v) => { c.down = v; this.yasr.draw(); }));
      controls.appendChild(select("列", "columns", opts.filter(([v]) => v !== down), across, (v) => { c.across = v; this.yasr.draw(); }));
      controls.appendChild(select("値", "value", [["", L("行数", "count")], ...sumOptions.map((v) => [v, L("合計 ?", "sum ?") + v])], measure,
        (v) => { c.measure = v; this.yasr.draw(); }));
      box.appendChild(controls);
      const prefixes = this.yasr.getPrefixes();
      const rowKeys = [], colKeys = [], cells = new Map();
      for (const r of rows) {
        const a = show(r[down], prefixes), b = show(r[across], prefixes);
        if (!rowKeys.includes(a)) rowKeys.push(a);
        if (!colKeys.includes(b)) colKeys.push(b);
        const add = measure ? (r[measure] ? Number(r[measure].value) : 0) : 1;
        cells.set(a + "\u0000" + b, (cells.get(a + "\u0000" + b) || 0) + add);
      }
      const table = el("table", { class: "pivot-table" });
      const head = table.createTHead().insertRow();
      head.appendChild(el("th", { scope: "col" }, `?${down} \\ ?${across}`));
      colKeys.forEach((k) => head.appendChild(el("th", { scope: "col" }, k || "—")));
      head.appendChild(el("th", { scope: "col", class: "total" }, L("計", "Total")));
      const body = table.createTBody();
      const colTotals = colKeys.map(() => 0);
      for (const a of rowKeys) {
        const tr = body.insertRow();
        tr.appendChild(el("th", { scope: "row" }, a || "—"));
        let sum = 0;
        colKeys.forEach((b, i) => {
          const v = cells.get(a + "\u0000" + b);
          tr.appendChild(el("td", { class: "num" }, v === undefined ? "" : v.toLocaleString()));
          sum += v || 0; colTotals[i] += v || 0;
        });
        tr.appendChild(el("td", { class: "num total" }, sum.toLocaleString()));
      }
      const foot = table.createTFoot().insertRow();
      foot.appendChild(el("th", { scope: "row" }, L("計", "Total")));
      colTotals.forEach((t) => foot.appendChild(el("td", { class: "num total" }, t.toLocaleString())));
      foot.appendChild(el("td", { class: "num total" }, colTotals.reduce((x, y) => x + y, 0).toLocaleString()));
      const wrap = el("div", { class: "table-wrap" });
      wrap.appendChild(table);
      box.appendChild(wrap);
      this.yasr.resultsEl.appendChild(box);
    }
  }

  window.KgResultViews = { Chart: Chart, Pivot: Pivot, isNumber: isNumber, show: show };
  if (window.Yasgui && window.Yasgui.Yasr) {
    window.Yasgui.Yasr.registerPlugin("chart", Chart);
    window.Yasgui.Yasr.registerPlugin("pivot", Pivot);
  }
})();
