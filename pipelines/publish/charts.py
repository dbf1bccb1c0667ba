"""Inline SVG for the landing page: a tile map of France's 18 régions and a bar chart.

The map is a cartogram: each région is a rectangle placed where it lies, sized
roughly like it, with the five overseas régions in an inset. No geometry files,
no tiles, nothing fetched: the page must stay self-contained.
"""
from __future__ import annotations

from html import escape

import pyarrow as pa

from common.places import regions

# INSEE code -> (x, y, width, height) in grid cells, short label.
METRO_TILES = {
    "32": ((2, 0, 3, 1), "HDF"),
    "28": ((1, 1, 2, 1), "NOR"),
    "11": ((3, 1, 1, 1), "IDF"),
    "44": ((4, 1, 3, 2), "GES"),
    "53": ((0, 2, 1, 1), "BRE"),
    "52": ((1, 2, 1, 2), "PDL"),
    "24": ((2, 2, 2, 2), "CVL"),
    "27": ((4, 3, 2, 1), "BFC"),
    "75": ((1, 4, 2, 3), "NAQ"),
    "84": ((3, 4, 3, 2), "ARA"),
    "76": ((3, 6, 2, 1), "OCC"),
    "93": ((5, 6, 2, 1), "PAC"),
    "94": ((6, 7, 1, 1), "COR"),
}
OVERSEAS_TILES = {
    "01": ((0, 8.4, 1, 1), "GUA"),
    "02": ((1, 8.4, 1, 1), "MTQ"),
    "03": ((2, 8.4, 1, 1), "GUY"),
    "04": ((3, 8.4, 1, 1), "REU"),
    "06": ((4, 8.4, 1, 1), "MAY"),
}
CELL = 92
PAD = 4
FILL_SCALE = ["#eef3fb", "#cfdcf3", "#a9c1ea", "#7b9fdc", "#4f7cc9", "#2a5bb0"]
GAP_COLOUR = "#d9480f"


def _rows(table: pa.Table | None) -> list[dict]:
    return table.to_pylist() if table is not None else []


def region_stats(tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Per région code: n_clusters, n_committees, n_advisors, advisors_per_cluster, uncovered.

    ``uncovered`` is the list of pôles no committee covers, or None when the tables
    needed to know it were not published (the map then says "unknown", not "none").
    """
    stats = {code: {"n_clusters": 0, "n_committees": 0, "n_advisors": None, "advisors_per_cluster": None, "uncovered": None} for code in regions()}
    summary = _rows(tables.get("region_summary"))
    if summary:
        for r in summary:
            if r["region_code"] in stats:
                stats[r["region_code"]].update(
                    n_clusters=r["n_clusters"],
                    n_committees=r["n_committees"],
                    n_advisors=r["n_advisors"],
                    advisors_per_cluster=r["advisors_per_cluster"],
                    uncovered=list(r["clusters_without_committee"] or []),
                )
        return stats

    clusters = _rows(tables.get("clusters"))
    for r in clusters:
        if r["region_code"] in stats:
            stats[r["region_code"]]["n_clusters"] += 1
    for r in _rows(tables.get("cce_committees")):
        if r["kind"] != "country_section" and r.get("region_code") in stats:
            stats[r["region_code"]]["n_committees"] += 1
    if "advisors" in tables:
        for s in stats.values():
            s["n_advisors"] = 0
        for r in _rows(tables.get("advisors")):
            if r.get("region_code") in stats:
                stats[r["region_code"]]["n_advisors"] += 1
        for s in stats.values():
            s["advisors_per_cluster"] = s["n_advisors"] / s["n_clusters"] if s["n_clusters"] else None
    if "cluster_committee_coverage" in tables:
        covered = {r["cluster_id"] for r in _rows(tables["cluster_committee_coverage"])}
        for s in stats.values():
            s["uncovered"] = []
        for r in clusters:
            if r["cluster_id"] not in covered and r["region_code"] in stats:
                stats[r["region_code"]]["uncovered"].append(r["cluster_id"])
    return stats


def _fill(n: int, top: int) -> str:
    if not n:
        return FILL_SCALE[0]
    step = 1 + round((len(FILL_SCALE) - 2) * n / max(top, 1))
    return FILL_SCALE[min(step, len(FILL_SCALE) - 1)]


def france_map(stats: dict[str, dict]) -> str:
    names = regions()
    top = max((s["n_clusters"] for s in stats.values()), default=0)
    width, height = 7 * CELL + 2 * PAD, 9.4 * CELL + 60
    parts = [
        f'<svg id="france-map" class="map" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" aria-labelledby="map-title">',
        '<title id="map-title">France by région: pôles and CCE committees (tile map)</title>',
        f'<text x="{PAD}" y="{8.25 * CELL:g}" class="inset-label">Outre-mer</text>',
    ]
    for code, ((x, y, w, h), short) in {**METRO_TILES, **OVERSEAS_TILES}.items():
        s = stats.get(code, {})
        gap = bool(s.get("uncovered"))
        px, py, pw, ph = PAD + x * CELL + 2, PAD + y * CELL + 2, w * CELL - 4, h * CELL - 4
        cx = px + pw / 2
        cy = py + ph / 2
        tip = f"{names.get(code, code)} ({code}): {s.get('n_clusters', 0)} pôles, {s.get('n_committees', 0)} CCE committees"
        if s.get("uncovered") is None:
            tip += "; coverage unknown"
        elif gap:
            tip += f"; not covered by any committee: {', '.join(s['uncovered'])}"
        stroke = f'stroke="{GAP_COLOUR}" stroke-width="4"' if gap else 'stroke="#ffffff" stroke-width="2"'
        parts += [
            f'<g class="region{" gap" if gap else ""}" data-region="{code}" id="region-{code}">',
            f"<title>{escape(tip)}</title>",
            f'<rect x="{px:g}" y="{py:g}" width="{pw:g}" height="{ph:g}" rx="6" fill="{_fill(s.get("n_clusters", 0), top)}" {stroke}/>',
            f'<text x="{cx:g}" y="{cy - 14:g}" class="abbr">{short}</text>',
            f'<text x="{cx:g}" y="{cy + 4:g}" class="count">{s.get("n_clusters", 0)} pôles</text>',
            f'<text x="{cx:g}" y="{cy + 20:g}" class="count">{s.get("n_committees", 0)} comités</text>',
        ]
        if gap:
            parts.append(f'<text x="{cx:g}" y="{cy + 36:g}" class="gap-label">{len(s["uncovered"])} sans comité</text>')
        parts.append("</g>")
    ly = 9.4 * CELL + 20
    parts += [
        f'<rect x="{PAD}" y="{ly - 12:g}" width="16" height="16" fill="{FILL_SCALE[-1]}"/>',
        f'<text x="{PAD + 22}" y="{ly:g}" class="legend">darker = more pôles</text>',
        f'<rect x="{PAD + 190}" y="{ly - 12:g}" width="16" height="16" fill="none" stroke="{GAP_COLOUR}" stroke-width="3"/>',
        f'<text x="{PAD + 212}" y="{ly:g}" class="legend">pôles not covered by any CCE committee</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def advisors_chart(stats: dict[str, dict]) -> str:
    names = regions()
    bars = sorted(
        ((code, s["advisors_per_cluster"]) for code, s in stats.items() if s.get("advisors_per_cluster") is not None),
        key=lambda b: (-b[1], b[0]),
    )
    if not bars:
        return '<p id="advisors-chart" class="empty">No advisor counts in this release (advisors or region_summary not published).</p>'
    label_w, bar_w, row_h = 210, 360, 24
    top = max(v for _, v in bars) or 1
    height = row_h * len(bars) + 10
    parts = [
        f'<svg id="advisors-chart" class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 60} {height}" '
        f'width="{label_w + bar_w + 60}" height="{height}" aria-labelledby="chart-title">',
        '<title id="chart-title">CCE advisors per pôle, by région</title>',
    ]
    for i, (code, value) in enumerate(bars):
        y = 5 + i * row_h
        w = bar_w * value / top
        parts += [
            f'<g class="bar" data-region="{code}">',
            f'<text x="{label_w - 8}" y="{y + 16}" class="bar-label">{escape(names.get(code, code))}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="#2a5bb0"/>',
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="bar-value">{value:.1f}</text>',
            "</g>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)
