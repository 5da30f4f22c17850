"""The self-contained HTML report: charts, the table with each cell's evidence on click, the
sources (each primary source linked), and the conflicts with their candidates.

One file, no network: styles and script inline, the charts inline SVG drawn by matplotlib
(deterministic: fixed hash salt, no timestamps; kg.report.chart), the evidence behind every cell
an embedded JSON document the script reads when a cell is clicked, so the same graph gives the
same bytes and nothing is fetched. Everything that came from data (labels, evidence, titles) is
escaped: in HTML with `html.escape`, in the embedded JSON with `<`, `>` and `&` written as
\\u escapes (a `</script>` in data cannot close the block), and the script puts text into the
page with `textContent` only; only http(s) addresses become links.
"""

from __future__ import annotations

import json
from html import escape

from kg.core.display import readable_stated
from kg.core.vocab import KGR
from kg.reconcile.run import Reconciliation
from kg.reconcile.wording import format_candidate, sources_text
from kg.report.chart import chart_data, render_charts
from kg.report.columns import CAPABILITY_COLUMNS, COLUMNS, COMPUTE_COLUMNS
from kg.report.evidence import ClaimEvidence, Source, safe_link
from kg.report.table import CapabilityTable, Cell, Row

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;
color:#1d1d1f;padding:0 1rem}
h1{font-size:1.6rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.8rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:right;vertical-align:top}
th{background:#f4f4f6} td.model,th.model{text-align:left}
td.conflict{background:#fff4e5} td.missing{color:#aaa;text-align:center}
td[data-cell]{cursor:pointer} td[data-cell]:hover,td[data-cell]:focus{outline:2px solid #6b9bd1}
td.selected{outline:2px solid #1565c0;background:#eef4fb}
tr:target td{background:#fffbd6}
sup{color:#555;font-size:.72em} .derived{font-style:italic}
.conflict-entry{border-left:4px solid #e8a33d;padding:.3rem .8rem;margin:.8rem 0;background:#fcfcfc}
.candidate{margin:.2rem 0 .2rem 1rem} .preferred{font-weight:600}
.muted{color:#666} figure{margin:1rem 0} figure svg{max-width:100%;height:auto}
figcaption{color:#555;font-size:.9em}
#evidence{position:fixed;right:1rem;bottom:1rem;width:min(34rem,calc(100vw - 2rem));
max-height:60vh;overflow:auto;background:#fff;border:1px solid #bbb;border-radius:6px;
box-shadow:0 4px 18px rgba(0,0,0,.18);padding:.6rem .9rem;font-size:13px;z-index:10}
#evidence h3{margin:.1rem 2rem .3rem 0;font-size:1rem} #evidence ul{padding-left:1.1rem;margin:.2rem 0}
#evidence li{margin:.25rem 0} #evidence .phrase{font-style:italic}
#evidence .won{color:#1b5e20} #evidence .lost{color:#b71c1c}
#evidence button{position:absolute;right:.5rem;top:.4rem;border:0;background:none;font-size:1.2rem;
cursor:pointer}
li.primary{margin:.2rem 0}
"""

# Reads the embedded evidence and shows one cell's claims in the panel. Text goes in with
# textContent only, and links are made only from the http(s) addresses the report vetted.
SCRIPT = """
(function(){
var data=JSON.parse(document.getElementById('kg-evidence').textContent);
var panel=document.getElementById('evidence');
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
 if(text!=null)e.textContent=text;return e;}
function source(i){var s=data.sources[i];var span=el('span','src');
 if(s.link&&/^https?:\\/\\//.test(s.link)){var a=el('a',null,s.name);a.href=s.link;
  a.rel='noopener noreferrer';span.appendChild(a);}else{span.textContent=s.name;}
 if(s.about)span.appendChild(document.createTextNode(' ('+s.about+')'));return span;}
function claims(title,list,cls){var box=el('div');box.appendChild(el('strong',cls,title));
 var ul=el('ul');list.forEach(function(c){var li=el('li');
  li.appendChild(el('strong',null,c.stated||'?'));
  if(c.evidence){li.appendChild(document.createTextNode(' \\u201c'));
   li.appendChild(el('span','phrase',c.evidence));li.appendChild(document.createTextNode('\\u201d'));}
  li.appendChild(document.createTextNode(' \\u2014 '));li.appendChild(source(c.source));
  if(c.locator)li.appendChild(el('span','muted',', '+c.locator));
  if(c.origin)li.appendChild(el('span','muted',', citing '+c.origin));
  if(c.reason)li.appendChild(el('div','muted',c.reason));ul.appendChild(li);});
 if(!list.length)ul.appendChild(el('li','muted','none'));box.appendChild(ul);return box;}
function show(td){var c=data.cells[td.getAttribute('data-cell')];if(!c)return;
 var old=document.querySelector('td.selected');if(old)old.classList.remove('selected');
 td.classList.add('selected');panel.textContent='';
 var close=el('button',null,'\\u00d7');close.setAttribute('aria-label','close');
 close.onclick=function(){panel.hidden=true;td.classList.remove('selected');};panel.appendChild(close);
 panel.appendChild(el('h3',null,c.model+' \\u2014 '+c.column+': '+c.value));
 panel.appendChild(el('div','muted',c.status));
 if(c.explanation)panel.appendChild(el('p',null,c.explanation));
 panel.appendChild(claims('Won ('+c.won.length+')',c.won,'won'));
 panel.appendChild(claims('Lost ('+c.lost.length+')',c.lost,'lost'));panel.hidden=false;}
document.addEventListener('click',function(e){var td=e.target.closest('td[data-cell]');
 if(td&&!e.target.closest('a'))show(td);});
document.addEventListener('keydown',function(e){if(e.key==='Escape'){panel.hidden=true;return;}
 var td=e.target.closest&&e.target.closest('td[data-cell]');
 if(td&&(e.key==='Enter'||e.key===' ')){e.preventDefault();show(td);}});
})();
"""


def render(table: CapabilityTable, rec: Reconciliation, scores: list[dict] | None = None, *,
           evidence: dict[str, list[ClaimEvidence]] | None = None,
           sources: list[Source] | None = None,
           title: str = "kg: capability vs compute", changes=None, cell_values=None,
           as_of: str | None = None) -> str:
    """The report as one HTML document; `evidence` (group -> claims) fills the per-cell panel and
    `sources` (every document) the source list; without them the report still renders.
    `changes` (a kg.report.changes.ChangeReport between the store's last two runs) fills "What
    changed"; `cell_values` ((model, column) -> kg.report.timeline.CellValues) lists the values
    each cell has had; `as_of` names the evidence cut-off of an as-of report."""
    when = (f" The evidence as known on {escape(as_of)}: sources published later are not read."
            if as_of else "")
    sources = sources or []
    by_iri = {s.iri: s for s in sources}
    cells, cell_json = _cell_ids(table, rec, evidence or {}, by_iri)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}{escape(f' (as of {as_of})') if as_of else ''}</h1>",
        f'<p class="muted">{len(table.rows)} models; {len(rec.conflicts)} open conflicts; '
        f"{len(table.footnotes)} sources behind the cells. Every cell is the preferred value of a "
        "reconciled statement; ‡ marks a cell whose statement is in conflict, ≈ a derived value, "
        "— a value no source in the graph states. Click a cell to see the claims that won and "
        f"lost, with their evidence and sources.{when}</p>",
        '<h2 id="chart">Capability vs compute</h2>', render_charts(chart_data(table, scores)),
        '<h2 id="table">Reconciled table</h2>', _tables(table, cells),
        '<h2 id="sources">Sources</h2>', _footnotes(table, by_iri), _primary(sources),
        '<h2 id="conflicts">Conflicts</h2>', _conflicts(rec),
    ]
    if not as_of:
        parts += ['<h2 id="changes">What changed</h2>', _changes(changes),
                  '<h2 id="cell-history">Values each cell has had</h2>',
                  _cell_history(table, cell_values or {})]
    parts += [
        '<aside id="evidence" hidden aria-live="polite"></aside>',
        f'<script type="application/json" id="kg-evidence">{cell_json}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _changes(changes) -> str:
    """The last two runs compared (kg.report.changes), or why there is nothing to compare."""
    if changes is None:
        return ('<p class="muted" data-changes="none">This store keeps one reconciliation run: '
                "nothing to compare yet. With a persistent store (<code>--store</code> or "
                "<code>--endpoint</code>) every <code>kg reconcile</code> is kept, and this "
                "section compares the last two; <code>kg diff A B</code> compares any two runs, "
                "dates or saved reconciliations.</p>")
    out = [f'<p data-changes="{len(changes.cells)}">{escape(changes.summary())}</p>']
    if changes.cells:
        out.append('<table class="changes"><thead><tr><th class="model">Model</th>'
                   '<th class="model">Column</th><th>Before</th><th>After</th>'
                   '<th class="model">Why</th></tr></thead><tbody>')
        for c in changes.cells[:200]:
            why = "; ".join(r.text for r in c.reasons[:2])
            out.append(f'<tr><td class="model">{escape(c.model_label)}</td><td class="model">'
                       f"{escape(dict(COLUMNS).get(c.column, c.column))}</td>"
                       f"<td>{escape(c.old or '—')}</td><td>{escape(c.new or '—')}</td>"
                       f'<td class="model">{escape(why)}</td></tr>')
        out.append("</tbody></table>")
    if changes.changed:
        out.append("<h3>Preferred values that changed</h3><ul>")
        for ch in changes.changed[:200]:
            reasons = "; ".join(f"{r.kind}: {r.text}" for r in ch.reasons)
            out.append(f"<li>{escape(changes.statement_name(ch.new))}: "
                       f"{escape(ch.old.preferred or '—')} → {escape(ch.new.preferred or '—')}"
                       f' <span class="muted">{escape(reasons)}</span></li>')
        out.append("</ul>")
    return "\n".join(out)


def _cell_history(table: CapabilityTable, values: dict) -> str:
    """Per cell, the values its claims stated by the date each became known (and what each kept
    run preferred), for the cells that have had more than one value."""
    headers = dict(COLUMNS)
    labels = {r.model: r.label for r in table.rows}
    if not values:
        return '<p class="muted" data-cell-history="0">Every cell has had one value only.</p>'
    out = [f'<p class="muted" data-cell-history="{len(values)}">The values stated for each cell, '
           "in the order the sources became known (a source's publication date, a database's "
           "snapshot date; <em>est.</em> an estimated date); where the store keeps several runs, "
           "what each preferred.</p>",
           '<table class="cell-history"><thead><tr><th class="model">Model</th><th class="model">'
           'Column</th><th class="model">Values over time</th></tr></thead><tbody>']
    order = {c: i for i, (c, _h) in enumerate(COLUMNS)}
    for (model, column), v in sorted(values.items(), key=lambda kv: (labels.get(kv[0][0], ""),
                                                                      order.get(kv[0][1], 99))):
        steps = " → ".join(f"{readable_stated(stated)} ({day}"
                           f"{' est.' if basis == 'estimated' else ''}, {source})"
                           for day, basis, stated, source in v.stated)
        runs = "; ".join(f"run {run}: {pref}" for run, pref in v.runs)
        out.append(f'<tr><td class="model">{escape(labels.get(model, model))}</td>'
                   f'<td class="model">{escape(headers.get(column, column))}</td>'
                   f'<td class="model">{escape(steps)}'
                   + (f'<br><span class="muted">{escape(runs)}</span>' if runs else "")
                   + "</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def script_json(value: object) -> str:
    """JSON safe inside a <script> block: no `<`, `>` or `&` (so no `</script>` or `<!--`), and
    no U+2028/2029 (line ends to old JavaScript parsers)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _cell_ids(table: CapabilityTable, rec: Reconciliation,
              evidence: dict[str, list[ClaimEvidence]], by_iri: dict[str, Source]
              ) -> tuple[dict[tuple[int, str], str], str]:
    """Give each filled cell an id and gather what its panel shows into one JSON document."""
    headers = dict(COLUMNS)
    explanations = {KGR + ("scope-" if g.finding else "group-") + g.key: g.explanation
                    for g in rec.all_groups()}
    source_index: dict[str, int] = {}
    source_rows: list[dict] = []

    def source(iri: str) -> int:
        if iri not in source_index:
            s = by_iri.get(iri)
            about = ", ".join(x for x in (s.kind_words, s.date) if x) if s else ""
            source_index[iri] = len(source_rows)
            source_rows.append({"name": s.name if s else iri.rsplit("/", 1)[-1], "about": about,
                                "link": s.link if s else None})
        return source_index[iri]

    def claim(c: ClaimEvidence) -> dict:
        return {"stated": readable_stated(c.stated), "evidence": c.evidence, "locator": c.locator,
                "origin": c.origin_title, "reason": None if c.won else c.reason,
                "source": source(c.document)}

    ids: dict[tuple[int, str], str] = {}
    cells: dict[str, dict] = {}
    for i, row in enumerate(table.rows):
        for column in COMPUTE_COLUMNS + CAPABILITY_COLUMNS:
            cell = row.cells.get(column)
            if cell is None:
                continue
            cid = f"c{len(ids)}"
            ids[(i, column)] = cid
            claims = _claims_of(row, cell, evidence)
            status = (f"{cell.kind or 'value'} conflict" if cell.status == "conflict" else
                      "the sources agree" if cell.status == "agree" else cell.status)
            explanation = explanations.get(cell.group or "", "")
            if cell.derived:
                explanation = ("Derived, not stated: 6 x active parameters x training tokens; "
                               "the claims below are those of the two figures it is made from.")
            cells[cid] = {"model": row.label, "column": headers[column],
                          "value": ("≈" if cell.derived else "") + cell.text,
                          "status": f"{status}, confidence {cell.confidence:.2f}",
                          "explanation": explanation,
                          "won": [claim(c) for c in claims if c.won],
                          "lost": [claim(c) for c in claims if not c.won]}
    return ids, script_json({"cells": cells, "sources": source_rows})


def _claims_of(row: Row, cell: Cell, evidence: dict[str, list[ClaimEvidence]]
               ) -> list[ClaimEvidence]:
    if cell.group:
        return evidence.get(cell.group, [])
    if cell.derived:  # the figures the estimate is made from
        return [c for column in ("active_params", "training_tokens")
                if (part := row.cells.get(column)) and part.group
                for c in evidence.get(part.group, []) if c.won]
    return []


def _tables(table: CapabilityTable, ids: dict[tuple[int, str], str]) -> str:
    headers = dict(COLUMNS)
    out = []
    groups: dict[str, list[tuple[int, Row]]] = {}
    for i, r in enumerate(table.rows):
        groups.setdefault(r.country_label or "Other or unknown", []).append((i, r))
    for country, rows in groups.items():
        out.append(f"<h3>{escape(country)}</h3>")
        out.append('<table class="capability" data-country="' + escape(country, quote=True) + '">')
        cols = COMPUTE_COLUMNS + CAPABILITY_COLUMNS
        out.append('<thead><tr><th class="model">Model</th><th class="model">Lab</th>' +
                   "".join(f"<th>{escape(headers[c])}</th>" for c in cols) + "</tr></thead><tbody>")
        for i, r in rows:
            cells = []
            for c in cols:
                cell = r.cells.get(c)
                if cell is None:
                    cells.append('<td class="missing">—</td>')
                    continue
                cls = " ".join(x for x in ("conflict" if cell.status == "conflict" else "",
                                           "derived" if cell.derived else "") if x)
                keys = ",".join(f'<a href="#src-{k}">{k}</a>' for k in cell.sources)
                mark = "‡" if cell.status == "conflict" else ""
                note = f' <a href="#note-{cell.note}">note {cell.note}</a>' if cell.note else ""
                tip = escape(f"confidence {cell.confidence:.2f}; click for the evidence", quote=True)
                cid = ids.get((i, c))
                attrs = f' data-cell="{cid}" tabindex="0"' if cid else ""
                cells.append(f'<td class="{cls}" title="{tip}" data-column="{c}"{attrs}>'
                             f'{"≈" if cell.derived else ""}'
                             f"{escape(cell.text)}{mark}<sup>{keys}</sup>{note}</td>")
            out.append(f'<tr id="row-{i}" data-model="{escape(r.model, quote=True)}">'
                       f'<td class="model">{escape(r.label)}</td><td class="model">'
                       f'{escape(r.lab_label or "")}</td>' + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    if table.notes:
        out.append("<h3>Notes on conflicting cells</h3><ol>")
        out += [f'<li id="note-{i}">{escape(n)}</li>' for i, n in enumerate(table.notes, 1)]
        out.append("</ol>")
    return "\n".join(out)


def _link(url: str | None, text: str) -> str:
    href = safe_link(url)
    if not href:
        return escape(text)
    return f'<a href="{escape(href, quote=True)}" rel="noopener noreferrer">{escape(text)}</a>'


def _footnotes(table: CapabilityTable, by_iri: dict[str, Source]) -> str:
    items = []
    for f in table.footnotes:
        s = by_iri.get(f.source)
        link = f" {_link(s.link, 'open')}" if s and s.link else ""
        items.append(f'<li id="src-{f.key}" value="{f.key}">{escape(f.text)}{link} '
                     f'<span class="muted">{escape(f.source)}</span></li>')
    return f'<h3>Behind the cells</h3><ol class="footnotes">{"".join(items)}</ol>'


def _primary(sources: list[Source]) -> str:
    """Every primary source in the graph (the labs' own model cards and reports), linked."""
    primary = sorted((s for s in sources if s.primary),
                     key=lambda s: (-s.claims, (s.publisher or "").lower(), s.name.lower()))
    if not primary:
        return ""
    items = []
    for s in primary:
        about = ", ".join(x for x in (s.publisher, s.date) if x)
        read = (f"{s.claims} claims read in it" if s.claims else
                "cited by other documents; no claims read in it directly")
        where = "" if s.link else ' <span class="muted">(no address recorded)</span>'
        items.append(f'<li class="primary" data-source="{escape(s.iri, quote=True)}">'
                     f"{_link(s.link, s.name)}{where} <span class=\"muted\">{escape(about)}; "
                     f"{read}</span></li>")
    return ("<h3>Primary sources: the labs' own model cards and reports</h3>"
            f'<ul class="primary-sources">{"".join(items)}</ul>')


def _conflicts(rec: Reconciliation) -> str:
    ctx = rec.context
    out = []
    for g in rec.conflicts:
        unit = ctx.default_unit.get(g.property)
        out.append(f'<div class="conflict-entry" data-kind="{escape(g.kind or "value", quote=True)}">'
                   f"<strong>{escape(ctx.label(g.subject))} / {escape(ctx.label(g.property))}</strong>"
                   f' <span class="muted">{escape(g.kind or "value")} conflict, confidence '
                   f"{g.confidence:.2f}</span><p>{escape(g.explanation)}</p>")
        for i, c in enumerate(g.candidates):
            evidence = "; ".join(sorted({readable_stated(cl.stated, unit) for cl in c.claims}))
            out.append(f'<div class="candidate{" preferred" if i == 0 else ""}">'
                       f'{"preferred" if i == 0 else "candidate"}: '
                       f'{escape(format_candidate(c, unit))} — score '
                       f"{c.score:.2f} — {escape(sources_text(c, ctx))} — stated as "
                       f"{escape(evidence)}</div>")
        out.append("</div>")
    return "\n".join(out) or "<p>No open conflicts.</p>"
