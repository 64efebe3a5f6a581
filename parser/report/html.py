"""Static HTML for the report: self-contained pages (inline CSS and script, no network), every
piece of document text and metadata escaped."""

from __future__ import annotations

from html import escape

from parser.compare import PeriodTable
from parser.fact_types import fact_types
from parser.report.charts import line_chart
from parser.report.model import (
    TYPE_LABELS,
    Chart,
    CompanyPage,
    CompanyRow,
    Coverage,
    DocumentPage,
    Figure,
    document_href,
)

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111;background:#fafafa}
header{background:#1f2937;color:#fff;padding:10px 16px}header a{color:#fff}
main{padding:12px 16px;max-width:1200px;margin:auto}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
th{background:#f3f4f6}.chart{width:100%;max-width:640px;height:auto;background:#fff;border:1px solid #ddd;margin:8px 0}
.doc{display:flex;flex-wrap:wrap;gap:16px}.text{flex:2 1 420px;white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:12px;overflow-wrap:anywhere}
.facts{flex:1 1 280px}.facts li{margin:6px 0;cursor:pointer;list-style:none;border-left:6px solid #999;padding-left:8px}
.facts button{all:unset;cursor:pointer;display:block}.facts button:focus{outline:2px solid #111}
mark{background:none;color:inherit;text-decoration-thickness:2px;text-underline-offset:3px}
.flash{animation:flash 1.2s ease 2}@keyframes flash{50%{outline:3px solid #f59e0b}}
.legend span{display:inline-block;margin:2px 10px 2px 0;padding:0 4px}
.tag{font-size:11px;font-weight:600;border:1px solid #999;border-radius:3px;padding:0 3px;margin-right:4px}
nav a{margin-right:14px}.nowrap,td.num,.when{white-space:nowrap}td.num{text-align:right}
.stale{background:#fef3c7;color:#92400e;font-size:11px;font-weight:600;border-radius:3px;padding:0 4px;margin-left:4px}
th[data-sort]{cursor:pointer}th[data-sort]::after{content:" ⇅";color:#999}
.data{font-size:13px;margin-bottom:24px}.data td,.data th{padding:3px 6px}
.cov td{padding:2px;text-align:center;font-size:12px}.cov .no{background:#fecaca}.cov .yes{background:#bbf7d0}
figure{margin:0}figcaption{font-size:13px;color:#444}
@media (max-width:640px){
 main{padding:8px}table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}
 table.cards tr:first-child{display:none}table.cards tr{border:1px solid #ddd;margin:0 0 10px;background:#fff}
 table.cards td{border:none;border-bottom:1px solid #eee;text-align:left;white-space:normal}
 table.cards td::before{content:attr(data-label) ": ";font-weight:600}
}
"""
_SCRIPT = """
document.querySelectorAll('th[data-sort]').forEach(function(th){
  th.addEventListener('click', function(){
    var table = th.closest('table'), index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var rows = Array.prototype.slice.call(table.querySelectorAll('tr')).slice(1);
    var down = th.dataset.dir !== 'desc'; th.dataset.dir = down ? 'desc' : 'asc';
    rows.sort(function(a, b){
      var x = a.children[index].dataset.value || a.children[index].textContent;
      var y = b.children[index].dataset.value || b.children[index].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? -order : order;
    });
    rows.forEach(function(row){ table.querySelector('tbody').appendChild(row); });
  });
});
document.querySelectorAll('.facts button[data-target]').forEach(function(button){
  button.addEventListener('click', function(){
    var target = document.querySelector('mark[data-fact="' + button.dataset.target + '"]');
    if (!target) { return; }
    target.scrollIntoView({behavior: 'smooth', block: 'center'});
    target.classList.remove('flash'); void target.offsetWidth; target.classList.add('flash');
  });
});
"""


def layout(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    styles = "".join(  # colour plus a distinct underline per fact type (rules/facts.yaml)
        f"mark.t-{kind}{{background:{t.highlight.background};text-decoration:underline "
        f"{t.highlight.line} {t.highlight.colour}}}"
        f".facts li.t-{kind}{{border-left-color:{t.highlight.colour}}}"
        for kind, t in fact_types().items()
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}{styles}</style></head><body>"
        f'<header><nav><a href="{up}index.html">Companies</a><a href="{up}comparison.html">'
        f'Comparison</a><a href="{up}coverage.html">Coverage</a></nav></header>'
        f"<main><h1>{escape(title)}</h1>{body}</main><script>{_SCRIPT}</script></body></html>\n"
    )


_INDEX_COLUMNS = (
    "Company", "Holdings", "Hashrate", "Produced (last period)", "Sold (last period)",
    "Latest document", "Ledger check",
)  # fmt: skip


def index_page(rows: list[CompanyRow]) -> str:
    parts = []
    for kind, heading in (("miner", "Miners"), ("treasury", "Treasury companies")):
        group = [row for row in rows if row.kind == kind]
        if group:
            parts.append(f"<h2>{heading}</h2>{_index_table(group)}")
    note = (
        '<p><span class="stale">stale</span> the company\'s latest figure is more than two '
        "months older than the newest figure in the store. Click a column to sort.</p>"
    )
    return layout("Companies", note + "".join(parts))


def _index_table(rows: list[CompanyRow]) -> str:
    head = "".join(
        f'<th data-sort="{i}">{escape(name)}</th>' for i, name in enumerate(_INDEX_COLUMNS)
    )
    body = "".join(_index_row(row) for row in rows)
    return f'<table class="cards"><tbody><tr>{head}</tr>{body}</tbody></table>'


def _index_row(row: CompanyRow) -> str:
    stale = ' <span class="stale">stale</span>' if row.stale else ""
    cells = [
        f'<td data-label="Company"><a href="companies/{escape(row.slug)}.html">'
        f"{escape(row.company)}</a>{stale}</td>",
        *(
            _figure_cell(label, figure)
            for label, figure in zip(_INDEX_COLUMNS[1:5], (row.holdings, row.hashrate,
                                                            row.produced, row.sold), strict=True)
        ),
        f'<td data-label="Latest document" data-value="{escape(row.latest_date)}">'
        f'<span class="when">{escape(row.latest_date)}</span> '
        f'<a href="{escape(row.latest_document or "")}">{escape(row.latest_title)}</a></td>',
        f'<td data-label="Ledger check">{escape(row.ledger)}</td>',
    ]  # fmt: skip
    return f"<tr>{''.join(cells)}</tr>"


def _figure_cell(label: str, figure: Figure) -> str:
    value = "" if figure.sort is None else f' data-value="{figure.sort}"'
    return f'<td data-label="{escape(label)}" class="nowrap"{value}>{escape(figure.text)}</td>'


def company_page(page: CompanyPage) -> str:
    parts = [_chart_block(chart, depth=1) for chart in page.charts]
    parts.append("<h2>Ledger check</h2>")
    if not page.ledger:
        parts.append("<p>Fewer than two disclosed holdings: nothing to check.</p>")
    else:
        parts.append(_ledger_table(page))
    if page.set_aside:
        parts.append("<p>Set aside (no period, so in no month): " + "; ".join(
            f'{escape(f.type)} {f.value:,g} BTC (<a href="../{escape(document_href(f.document))}">'
            f"source</a>)" for f in page.set_aside
        ) + "</p>")  # fmt: skip
    parts.append("<h2>Executive changes</h2>")
    if not page.people:
        parts.append("<p>None disclosed in the stored documents.</p>")
    parts.append("<ul>")
    parts += [
        f"<li>{escape(day)} — {escape(kind)}: {escape(person)}, {escape(title)} "
        f'(<a href="../{escape(href)}">source</a>)</li>'
        for day, kind, person, title, href in page.people
    ]
    parts.append("</ul>")
    return layout(page.company, "".join(parts), depth=1)


def _chart_block(chart: Chart, depth: int) -> str:
    svg = line_chart(chart.title, chart.unit, chart.series)
    rows = "".join(
        f'<tr><td class="when">{escape(r.when)}</td><td>{escape(r.series)}</td>'
        f'<td class="num">{escape(r.value)}</td><td><a href="{escape(r.href)}">document</a>'
        + (f' · <a href="{escape(r.original)}">original</a>' if r.original else "")
        + "</td></tr>"
        for r in chart.rows
    )
    table = (
        f'<table class="data"><tr><th>period / date</th><th>series</th><th>{escape(chart.unit)}'
        f"</th><th>source</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return f"<figure><h2>{escape(chart.title)}</h2>{svg}</figure>{table}"


def _ledger_table(page: CompanyPage) -> str:
    rows = "".join(
        f'<tr class="l-{p.status}"><td class="when">{escape(p.start)} → {escape(p.end)}</td>'
        f'<td class="num">{p.opening:,g}</td><td class="num">+{p.produced:,g}</td>'
        f'<td class="num">+{p.purchased:,g}</td><td class="num">−{p.sold:,g}</td>'
        f'<td class="num">{p.closing:,g}</td><td class="num">{p.difference:+,g} (±{p.tolerance:,.3g})</td>'
        f"<td>{escape(p.status)}{'<br><small>' + escape('; '.join(p.missing)) + '</small>' if p.missing else ''}</td></tr>"
        for p in page.ledger
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("period", "held", "produced", "bought", "sold", "then held", "off by", "status")
    )
    return f'<div style="overflow-x:auto"><table class="data"><tr>{head}</tr>{rows}</table></div>'


def comparison_page(charts: list[Chart], table: PeriodTable, csv_name: str) -> str:
    parts = [f"<figure>{line_chart(c.title, c.unit, c.series)}</figure>" for c in charts]
    head = "".join(f"<th>{escape(p)}</th>" for p in ("company", *table.periods))
    body = "".join(
        "<tr>" + "".join(
            f'<td class="{"num" if i else ""}">{escape(cell)}</td>' for i, cell in enumerate(row)
        ) + "</tr>"
        for row in table.text_rows()
    )  # fmt: skip
    parts.append(
        f'<h2>Bitcoin produced by month</h2><p><a href="{escape(csv_name)}" download>Download '
        f"as CSV</a> · ~ marks an approximate figure; an empty cell: no figure disclosed.</p>"
        f'<div style="overflow-x:auto"><table class="data"><tr>{head}</tr>{body}</table></div>'
    )
    return layout("Comparison", "".join(parts))


def coverage_page(views: list[Coverage]) -> str:
    parts = ["<p>Between each company's first and last disclosed month: green disclosed, red "
             "missing.</p>"]  # fmt: skip
    for view in views:
        head = "".join(f"<th>{escape(m)}</th>" for m in ("company", *view.months))
        body = "".join(
            f'<tr><td><a href="companies/{escape(slug)}.html">{escape(company)}</a></td>'
            + "".join(_coverage_cell(months.get(m)) for m in view.months)
            + "</tr>"
            for company, slug, months in view.rows
        )
        missing = sum(not v for _, _, months in view.rows for v in months.values())
        parts.append(
            f"<h2>{escape(view.metric)}: {missing} missing month(s)</h2>"
            f'<div style="overflow-x:auto"><table class="cov" data-metric="{escape(view.metric)}">'
            f"<tr>{head}</tr>{body}</table></div>"
        )
    return layout("Coverage", "".join(parts))


def _coverage_cell(disclosed: bool | None) -> str:
    if disclosed is None:
        return "<td></td>"
    return (
        '<td class="yes" title="disclosed">✓</td>'
        if disclosed
        else '<td class="no" title="missing">✗</td>'
    )


def document_page(page: DocumentPage) -> str:
    legend = "".join(
        f'<span class="legend-item"><mark class="t-{kind}">{escape(label)}</mark></span>'
        for kind, label in TYPE_LABELS.items()
    )
    text = "".join(_segment(segment.text, segment.facts, page) for segment in page.segments)
    items = "".join(_fact_item(fact) for fact in page.facts)
    meta = (
        f"<p>Source: {escape(page.source)}"
        + (f' · <a href="{escape(page.original)}">original</a>' if page.original else "")
        + (f" · published {escape(page.published)}" if page.published else "")
        + "</p>"
    )
    body = (
        f'{meta}<p class="legend">Legend: {legend}</p><div class="doc">'
        f'<div class="text">{text}</div><ol class="facts">{items}</ol></div>'
    )
    return layout(page.title, body, depth=1)


def _segment(text: str, facts: tuple[int, ...], page: DocumentPage) -> str:
    html = escape(text)
    for index in reversed(facts):
        kind = page.facts[index].type
        html = (
            f'<mark class="t-{kind}" data-fact="{index}" title="{TYPE_LABELS[kind]}">{html}</mark>'
        )
    return html


def _fact_item(fact: object) -> str:
    from parser.report.model import FactView

    assert isinstance(fact, FactView)
    pages = f" · page {', '.join(map(str, fact.pages))}" if fact.pages else ""
    approximate = " · approximate" if fact.approximate else ""
    return (
        f'<li class="t-{fact.type}"><button type="button" data-target="{fact.index}">'
        f'<span class="tag">{TYPE_LABELS[fact.type]}</span><strong>{escape(fact.value)}</strong>'
        f' <span class="company">{escape(fact.company)}</span>'
        f"<br><small>{escape(fact.detail)}{approximate} · confidence {fact.confidence:.2f}{pages}</small>"
        "</button></li>"
    )


__all__ = [
    "company_page", "comparison_page", "coverage_page", "document_href", "document_page",
    "index_page",
]  # fmt: skip
