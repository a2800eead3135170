"""Briefing -> one self-contained HTML file (interactive charts, no network needed)."""

from __future__ import annotations

import json

from jinja2 import Environment, select_autoescape

from .charts import javascript_bundle
from .document import Briefing, Bullets, Chart, Quote, Table, Text

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ b.title }}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:58rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1d;line-height:1.5}
h1{color:#0b3d6b;margin-bottom:.2rem}.subtitle{color:#555;margin-top:0}
h2{color:#0b3d6b;border-bottom:2px solid #0b3d6b;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.92rem}
th,td{border:1px solid #c8c8c8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e8eef5}caption{text-align:left;font-weight:600;padding:.3rem 0}
blockquote{border-left:4px solid #0b3d6b;margin:.8rem 0;padding:.3rem .8rem;background:#f5f7fa}
cite,.cite{font-size:.85rem;color:#444}a{color:#0b5394}
.chart{margin:1rem 0}.chart figcaption{font-size:.9rem;color:#444}
</style></head><body>
<header><h1>{{ b.title }}</h1><p class="subtitle">{{ b.subtitle }}</p></header>
<main>
{% for s in b.sections %}<section><h2>{{ s.title }}</h2>
{% for block in s.blocks %}{% set kind = block.__class__.__name__ %}
{% if kind == "Text" %}<p>{{ block.text }}{{ cites(block.citations) }}</p>
{% elif kind == "Bullets" %}<ul>{% for item in block.items %}<li>{{ item.text }}{{ cites(item.citations) }}</li>{% endfor %}</ul>
{% elif kind == "Quote" %}<blockquote>“{{ block.text }}”<br><cite><a href="{{ block.citation.link }}">{{ block.citation.label }}</a></cite></blockquote>
{% elif kind == "Table" %}<table>{% if block.caption %}<caption>{{ block.caption }}</caption>{% endif %}
<thead><tr>{% for h in block.header %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in block.rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif kind == "Chart" %}<figure class="chart"><div id="chart-{{ charts.index(block) }}" role="img" aria-label="{{ block.caption }}"></div><figcaption>{{ block.caption }}</figcaption></figure>
{% endif %}{% endfor %}</section>
{% endfor %}
</main>
<script>{{ bundle | safe }}</script>
<script>
{% for chart in charts %}vegaEmbed("#chart-{{ loop.index0 }}", {{ chart_json(chart) | safe }}, {actions: false});
{% endfor %}
</script>
</body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def _cites(citations: tuple[object, ...]) -> str:
    from markupsafe import Markup, escape

    links = [
        f'<a class="cite" href="{escape(c.link)}">{escape(c.label)}</a>'  # type: ignore[attr-defined]
        for c in citations
    ]
    return Markup(" (" + "; ".join(links) + ")") if links else Markup("")


def render_html(briefing: Briefing) -> bytes:
    charts = [block for s in briefing.sections for block in s.blocks if isinstance(block, Chart)]
    template = _ENV.from_string(_TEMPLATE)
    html = template.render(
        b=briefing,
        charts=charts,
        cites=_cites,
        bundle=javascript_bundle(),
        chart_json=lambda chart: json.dumps(chart.spec).replace("</", "<\\/"),
    )
    return html.encode("utf-8")


__all__ = ["Bullets", "Quote", "Table", "Text", "render_html"]
