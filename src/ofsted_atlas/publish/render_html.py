"""Briefing -> one self-contained HTML file (interactive charts, no network needed), printable
on A4 with page numbers."""

from __future__ import annotations

import json

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from .charts import javascript_bundle
from .document import Briefing, Bullets, Chart, Citation, Quote, Table, Text

_TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="{{ b.author }}">
<meta name="description" content="{{ b.subtitle }}">
<meta name="date" content="{{ b.date }}">
<title>{{ b.title }}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:58rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1d;line-height:1.5}
h1{color:#0b3d6b;margin-bottom:.2rem}.subtitle{color:#555;margin-top:0}
h2{color:#0b3d6b;border-bottom:2px solid #0b3d6b;padding-bottom:.2rem;margin-top:2rem}
h3{color:#0b3d6b}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.92rem}
th,td{border:1px solid #c8c8c8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e8eef5}caption{text-align:left;font-weight:600;padding:.3rem 0}
tr{break-inside:avoid}thead{display:table-header-group}
blockquote{border-left:4px solid #0b3d6b;margin:.8rem 0;padding:.3rem .8rem;background:#f5f7fa}
.cite{font-size:.85rem;color:#444}a{color:#0b5394}
.placeholder{background:#fff3b0;font-style:italic;padding:0 .2rem}
.note,.notes{font-size:.85rem;color:#444}
dl.front{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.front dt{font-weight:700}
.chart{margin:1rem 0}.chart figcaption{font-size:.9rem;color:#444}
footer{margin-top:3rem;font-size:.85rem;color:#555}
@page{size:A4;margin:18mm 16mm 20mm;@bottom-center{content:"Page " counter(page) " of " counter(pages)}}
@media print{body{max-width:none;margin:0}section{break-inside:auto}h2,h3{break-after:avoid}
figure{break-inside:avoid}}
</style></head><body>
<header><h1>{{ b.title }}</h1><p class="subtitle">{{ b.subtitle }}</p>
{% if b.front_matter %}<dl class="front">{% for label, text in b.front_matter %}<dt>{{ label }}</dt><dd>{{ say(text) }}</dd>{% endfor %}</dl>{% endif %}
</header>
<main>
{% for s in b.sections %}<section>{% if s.level > 1 %}<h3>{{ s.title }}</h3>{% else %}<h2>{{ s.title }}</h2>{% endif %}
{% for block in s.blocks %}{% set kind = block.__class__.__name__ %}
{% if kind == "Text" %}<p>{{ say(block) }}</p>
{% elif kind == "Note" %}<p class="note">{{ block.text }}</p>
{% elif kind == "Bullets" %}{{ bullets(block) }}
{% elif kind == "Quote" %}<blockquote>“{{ block.text }}”<br>{{ cites((block.citation,)) }}</blockquote>
{% elif kind == "Table" %}<table>{% if block.caption %}<caption>{{ block.caption }}</caption>{% endif %}
<thead><tr>{% for h in block.header %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in block.rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif kind == "Chart" %}<figure class="chart"><div id="chart-{{ charts.index(block) }}" role="img" aria-label="{{ block.description }}"></div><figcaption>{{ block.caption }}</figcaption></figure>
{% endif %}{% endfor %}
{% if s.notes %}<div class="notes">{% for line in s.notes.split("\n") %}<p>{{ line }}</p>{% endfor %}</div>{% endif %}
</section>
{% endfor %}
</main>
<footer>Made by {{ b.author }}{% if b.date %}, {{ made }}{% endif %}, from Ofsted's published reports. Citations link to each council's page on the Ofsted website; "PDF" opens the copy the figures were read from, at the page cited.</footer>
<script>{{ bundle | safe }}</script>
<script>
{% for chart in charts %}vegaEmbed("#chart-{{ loop.index0 }}", {{ chart_json(chart) | safe }}, {actions: false, renderer: "svg"});
{% endfor %}
</script>
</body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def _cites(citations: tuple[Citation, ...]) -> Markup:
    links = []
    for c in citations:
        link = f'<a class="cite" href="{escape(c.link)}">{escape(c.label)}</a>'
        if c.fallback:
            link += f' <a class="cite" href="{escape(c.fallback)}">PDF</a>'
        links.append(link)
    return Markup(" (" + "; ".join(links) + ")") if links else Markup("")


def _say(text: Text) -> Markup:
    if text.placeholder:
        return Markup('<span class="placeholder">[To complete: {}]</span>').format(text.text)
    return Markup("{}{}").format(text.text, _cites(text.citations))


def _bullets(block: Bullets) -> Markup:
    """A list, sub-items (level 1) nested under the item before them."""
    out = ["<ul>"]
    in_sub = open_item = False
    for item in block.items:
        if item.level == 0:
            if in_sub:
                out.append("</ul>")
                in_sub = False
            if open_item:
                out.append("</li>")
            out.append("<li>" + str(_say(item)))
            open_item = True
            continue
        if not open_item:
            out.append("<li>")
            open_item = True
        if not in_sub:
            out.append("<ul>")
            in_sub = True
        out.append("<li>" + str(_say(item)) + "</li>")
    out.append(("</ul>" if in_sub else "") + ("</li>" if open_item else "") + "</ul>")
    return Markup("".join(out))


def render_html(briefing: Briefing) -> bytes:
    from ofsted_atlas.analysis.labels import long_date

    charts = [block for s in briefing.sections for block in s.blocks if isinstance(block, Chart)]
    template = _ENV.from_string(_TEMPLATE)
    html = template.render(
        b=briefing,
        charts=charts,
        cites=_cites,
        say=_say,
        bullets=_bullets,
        made=long_date(briefing.date),
        bundle=javascript_bundle(),
        chart_json=lambda chart: json.dumps(chart.spec).replace("</", "<\\/"),
    )
    return html.encode("utf-8")


__all__ = ["Bullets", "Quote", "Table", "Text", "render_html"]
