"""Charts as inline SVG, drawn on the server (no script, no CDN: they work offline and print). Each chart has a
text alternative (the table beside it), a <title> per mark for the pointer, and links to the drill-downs."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext

WIDTH = 360


def _n(value) -> str:
    return f"{value:,}"


def bars(rows: list[tuple[str, int, str]], *, label: str) -> str:
    """Horizontal bars: rows of (label, value, drill-down url)."""
    row_h, label_w, value_w = 26, 120, 54
    height = max(1, len(rows)) * row_h + 4
    top = max([v for _l, v, _u in rows] + [1])
    span = WIDTH - label_w - value_w
    marks = []
    for i, (name, value, url) in enumerate(rows):
        y = i * row_h + 4
        w = round(span * value / top, 1) if value else 0
        marks.append(format_html(
            '<a href="{url}"><g class="bar"><title>{title}</title>'
            '<text x="{lx}" y="{ty}" text-anchor="end" class="chart-label">{short}</text>'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2"></rect>'
            '<text x="{vx}" y="{ty}" class="chart-value">{value}</text></g></a>',
            url=url, title=pgettext("chart", "%(label)s: %(value)s") % {"label": name, "value": _n(value)},
            value=_n(value), short=name if len(name) <= 9 else name[:8] + "…",
            lx=label_w - 6, ty=y + 15, x=label_w, y=y, w=max(w, 1 if value else 0), h=row_h - 8,
            vx=label_w + max(w, 0) + 4))
    return format_html('<svg class="chart bars" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
                       'xmlns="http://www.w3.org/2000/svg">{marks}</svg>',
                       w=WIDTH, h=height, label=label, marks=format_html_join("", "{}", ((m,) for m in marks)))


def columns(points: list[dict], *, label: str) -> str:
    """Received (and decided) per period: points of {"label", "received", "finished", "url"}."""
    height, base, left = 170, 140, 34
    top = max([p["received"] for p in points] + [1])
    count = max(1, len(points))
    slot = (WIDTH - left - 4) / count
    width = max(1.0, slot * 0.8)
    marks = []
    for i, p in enumerate(points):
        x = left + i * slot + (slot - width) / 2
        h_r = round((base - 10) * p["received"] / top, 1)
        h_f = round((base - 10) * p["finished"] / top, 1)
        marks.append(format_html(
            '<a href="{url}"><g class="col"><title>{title}</title>'
            '<rect class="received" x="{x}" y="{yr}" width="{w}" height="{hr}"></rect>'
            '<rect class="finished" x="{xf}" y="{yf}" width="{wf}" height="{hf}"></rect></g></a>',
            url=p["url"],
            title=pgettext("chart", "%(period)s: received %(received)s, decided %(decided)s") % {
                "period": p["label"], "received": _n(p["received"]), "decided": _n(p["finished"])},
            x=round(x, 1), yr=base - h_r, w=round(width, 1), hr=h_r,
            xf=round(x + width * 0.25, 1), yf=base - h_f, wf=round(width * 0.5, 1), hf=h_f))
    axis = format_html(
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" class="axis"></line>'
        '<text x="{lt}" y="18" text-anchor="end" class="chart-label">{top}</text>'
        '<text x="{lt}" y="{b}" text-anchor="end" class="chart-label">0</text>'
        '<text x="{l}" y="{yl}" class="chart-label">{first}</text>'
        '<text x="{r}" y="{yl}" text-anchor="end" class="chart-label">{last}</text>',
        l=left, r=WIDTH - 4, b=base, lt=left - 4, top=_n(top), yl=base + 18,
        first=points[0]["label"] if points else "", last=points[-1]["label"] if points else "")
    legend = format_html(
        '<rect class="received" x="{l}" y="{y}" width="10" height="10"></rect>'
        '<text x="{lx}" y="{ty}" class="chart-label">{r}</text>'
        '<rect class="finished" x="{l2}" y="{y}" width="10" height="10"></rect>'
        '<text x="{lx2}" y="{ty}" class="chart-label">{f}</text>',
        l=left, lx=left + 14, l2=left + 110, lx2=left + 124, y=height - 12, ty=height - 3,
        r=pgettext("chart", "received"), f=pgettext("chart", "decided"))
    return format_html('<svg class="chart columns" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
                       'xmlns="http://www.w3.org/2000/svg">{axis}{marks}{legend}</svg>',
                       w=WIDTH, h=height, label=label, axis=axis, marks=format_html_join("", "{}", ((m,) for m in marks)), legend=legend)


def meter(part: int, whole: int, *, label: str) -> str:
    """A share as a thin bar (coverage, compliance)."""
    share = part / whole if whole else 0
    return format_html('<svg class="chart meter" viewBox="0 0 {w} 12" role="img" aria-label="{label}" '
                       'xmlns="http://www.w3.org/2000/svg"><rect class="track" x="0" y="0" width="{w}" height="12" '
                       'rx="3"></rect><rect x="0" y="0" width="{v}" height="12" rx="3"></rect></svg>',
                       w=WIDTH, v=round(WIDTH * share, 1), label=label)

