"""Inline SVG for the landing page: a map of France's 18 régions and a bar chart.

The map is drawn from geo/france_regions.json (Natural Earth outlines, public domain;
built by scripts/build_region_map.py), shipped with the code: nothing is fetched, the
page stays self-contained. Each région is shaded by its number of pôles, régions with
pôles no committee covers are hatched, and each pôle is a dot at its head office.
"""

from __future__ import annotations

import json
import re
from functools import cache
from html import escape
from pathlib import Path

import pyarrow as pa

from common.places import regions

GEO = Path(__file__).with_name("geo") / "france_regions.json"
# INSEE code -> short label printed on the map (the legend spells each one out).
SHORT = {
    "32": "HDF",
    "28": "NOR",
    "11": "IDF",
    "44": "GES",
    "53": "BRE",
    "52": "PDL",
    "24": "CVL",
    "27": "BFC",
    "75": "NAQ",
    "84": "ARA",
    "76": "OCC",
    "93": "PAC",
    "94": "COR",
    "01": "GUA",
    "02": "MTQ",
    "03": "GUY",
    "04": "REU",
    "06": "MAY",
}
FILL_SCALE = ["#eef3fb", "#cfdcf3", "#a9c1ea", "#7b9fdc", "#4f7cc9", "#2a5bb0"]
GAP_COLOUR = "#d9480f"


@cache
def geometry() -> dict:
    return json.loads(GEO.read_text(encoding="utf-8"))


def project(region_code: str | None, lat: float, lon: float) -> tuple[float, float] | None:
    """Page coordinates of a point, in its overseas inset or on the metropolitan map; None if outside both."""
    frames = geometry()["frames"]
    f = frames.get(region_code) or frames["metro"]
    x = f["ox"] + (lon - f["lon_min"]) * f["coslat"] * f["scale"]
    y = f["oy"] + (f["lat_max"] - lat) * f["scale"]
    g = geometry()
    return (x, y) if 0 <= x <= g["width"] and 0 <= y <= g["height"] else None


_NUMBERS = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


@cache
def label_point(code: str) -> tuple[float, float]:
    """Centre of a région's largest outline's bounding box: where its label goes."""
    best = None
    for ring in geometry()["regions"][code]["d"].split("Z"):
        pts = [(float(x), float(y)) for x, y in _NUMBERS.findall(ring)]
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        area = (max(xs) - min(xs)) * (max(ys) - min(ys))
        if best is None or area > best[0]:
            best = (area, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return best[1], best[2]


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 pôle", "2 pôles", "0 pôles" (the page is in English)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _rows(table: pa.Table | None) -> list[dict]:
    return table.to_pylist() if table is not None else []


def region_stats(tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Per région code: n_clusters, n_committees, n_advisors, advisors_per_cluster, uncovered.

    ``uncovered`` is the list of pôles no committee covers, or None when the tables
    needed to know it were not published (the map then says "unknown", not "none").
    """
    stats = {
        code: {"n_clusters": 0, "n_committees": 0, "n_advisors": None, "advisors_per_cluster": None, "uncovered": None}
        for code in regions()
    }
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


def france_map(stats: dict[str, dict], clusters: pa.Table | None = None) -> str:
    names = regions()
    g = geometry()
    top = max((s["n_clusters"] for s in stats.values()), default=0)
    parts = [
        f'<svg id="france-map" class="map" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {g["width"]:g} {g["height"]:g}" '
        'preserveAspectRatio="xMidYMin meet" aria-labelledby="map-title">',
        '<title id="map-title">Map of France by région: pôles (dots) and CCE committees</title>',
        '<defs><pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="2.5" height="6" fill="{GAP_COLOUR}" fill-opacity="0.55"/></pattern></defs>',
    ]
    for inset in g["insets"]:
        parts.append(
            f'<rect class="inset" x="{inset["x"]}" y="{inset["y"]}" width="{inset["size"]}" height="{inset["size"]}" fill="none" stroke="#bbb" stroke-dasharray="3 2"/>'
        )
    for code, shape in g["regions"].items():
        s = stats.get(code, {})
        n = s.get("n_clusters", 0)
        gap = bool(s.get("uncovered"))
        tip = f"{names.get(code, code)} ({SHORT.get(code, code)}): {plural(n, 'pôle')}, {plural(s.get('n_committees', 0), 'comité CCE', 'comités CCE')}"
        if s.get("uncovered") is None:
            tip += "; coverage unknown"
        elif gap:
            tip += f"; not covered by any committee: {', '.join(s['uncovered'])}"
        fill = _fill(n, top)
        parts += [
            f'<g class="region{" gap" if gap else ""}" data-region="{code}" id="region-{code}"><title>{escape(tip)}</title>',
            f'<path d="{shape["d"]}" fill="{fill}" stroke="{fill}" stroke-width="0.6"/>',
        ]
        if gap:
            parts.append(f'<path d="{shape["d"]}" fill="url(#gap-hatch)"/>')
        parts.append("</g>")
    parts.append(
        f'<path class="borders" d="{g["borders"]}" fill="none" stroke="#ffffff" stroke-width="1.2" stroke-linejoin="round"/>'
    )
    for code in g["regions"]:
        x, y = label_point(code)
        n = stats.get(code, {}).get("n_clusters", 0)
        parts.append(
            f'<text class="abbr" x="{x:.0f}" y="{y:.0f}">{SHORT.get(code, code)}</text>'
            f'<text class="count" x="{x:.0f}" y="{y + 13:.0f}">{n}</text>'
        )
    for row in (
        clusters.select(["cluster_id", "name", "region_code", "latitude", "longitude"]).to_pylist()
        if clusters is not None
        else []
    ):
        if row["latitude"] is None or row["longitude"] is None:
            continue
        point = project(row["region_code"], row["latitude"], row["longitude"])
        if point is None:
            continue
        parts.append(
            f'<circle class="pole" data-cluster="{escape(row["cluster_id"])}" cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3.2" '
            f'fill="#161616" stroke="#fff" stroke-width="0.8"><title>{escape(row["name"])}</title></circle>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def map_legend() -> list[tuple[str, str]]:
    """(abbreviation, région name) pairs, in map order, for the legend under the map."""
    names = regions()
    return [(SHORT[c], names.get(c, c)) for c in SHORT]


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
        'aria-labelledby="chart-title">',
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
