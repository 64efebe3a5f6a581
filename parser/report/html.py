"""Static HTML for the report: self-contained pages (inline CSS and script, no network), every
piece of document text and metadata escaped."""

from __future__ import annotations

from html import escape

from parser.report.charts import line_chart
from parser.report.model import TYPE_LABELS, CompanyPage, CompanyRow, DocumentPage, document_href

# Colour plus a distinct underline per fact type, so colour is never the only cue.
TYPE_STYLES = {
    "btc_produced": ("#dbeafe", "#1d4ed8", "solid"),
    "btc_sold": ("#fee2e2", "#b91c1c", "double"),
    "btc_purchased": ("#dcfce7", "#15803d", "dashed"),
    "btc_holdings": ("#fef3c7", "#a16207", "dotted"),
    "hashrate": ("#ede9fe", "#6d28d9", "wavy"),
    "executive_appointment": ("#cffafe", "#0e7490", "solid"),
    "executive_departure": ("#fce7f3", "#be185d", "dashed"),
}

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
"""
_SCRIPT = """
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
    styles = "".join(
        f"mark.t-{kind}{{background:{fill};text-decoration:underline {style} {line}}}"
        f".facts li.t-{kind}{{border-left-color:{line}}}"
        for kind, (fill, line, style) in TYPE_STYLES.items()
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}{styles}</style></head><body>"
        f'<header><a href="{up}index.html">disclosure-parser report</a></header>'
        f"<main><h1>{escape(title)}</h1>{body}</main><script>{_SCRIPT}</script></body></html>\n"
    )


def index_page(rows: list[CompanyRow]) -> str:
    head = "".join(
        f"<th>{name}</th>"
        for name in (
            "Company",
            "Holdings",
            "Hashrate",
            "Produced (last period)",
            "Sold (last period)",
            "Latest document",
            "Ledger check",
        )
    )
    body = "".join(
        "<tr>"
        f'<td><a href="companies/{escape(row.slug)}.html">{escape(row.company)}</a></td>'
        f"<td>{escape(row.holdings)}</td><td>{escape(row.hashrate)}</td>"
        f"<td>{escape(row.produced)}</td><td>{escape(row.sold)}</td>"
        f'<td>{escape(row.latest_date)} <a href="{escape(row.latest_document or "")}">'
        f"{escape(row.latest_title)}</a></td><td>{escape(row.ledger)}</td></tr>"
        for row in rows
    )
    return layout(
        "Companies", f'<div style="overflow-x:auto"><table><tr>{head}</tr>{body}</table></div>'
    )


def company_page(page: CompanyPage) -> str:
    charts = [
        line_chart(f"{page.company}: bitcoin holdings", "BTC", page.holdings),
        line_chart(
            f"{page.company}: bitcoin produced, sold and purchased per period",
            "BTC",
            page.flows,
            bars=True,
        ),
        line_chart(f"{page.company}: hashrate by status (targets dashed)", "EH/s", page.hashrate),
    ]
    parts = [chart for chart in charts if chart]
    parts.append("<h2>Ledger check</h2>")
    if not page.gaps:
        parts.append("<p>✔ Disclosed holdings agree with production, purchases and sales.</p>")
    for gap in page.gaps:
        links = ", ".join(escape(doc) for doc in gap.documents)
        parts.append(
            f"<p>{escape(gap.start)} → {escape(gap.end)}: held {gap.opening:,g}, then {gap.closing:,g}; "
            f"expected {gap.expected:,g} (produced {gap.produced:,g} + purchased {gap.purchased:,g} "
            f"− sold {gap.sold:,g}); off by {gap.difference:+,g}. Documents: {links}</p>"
        )
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


def document_page(page: DocumentPage) -> str:
    legend = "".join(
        f'<span class="legend-item"><mark class="t-{kind}">{escape(label)}</mark></span>'
        for kind, label in TYPE_LABELS.items()
    )
    text = "".join(_segment(segment.text, segment.facts, page) for segment in page.segments)
    items = "".join(_fact_item(fact) for fact in page.facts)
    meta = (
        f"<p>Source: {escape(page.source)}"
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
        f"<br><small>{escape(fact.detail)}{approximate} · confidence {fact.confidence:.2f}{pages}</small>"
        "</button></li>"
    )


__all__ = ["company_page", "document_href", "document_page", "index_page"]
