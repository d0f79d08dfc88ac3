"""The map of participants by département, drawn at build time from the outlines shipped in `data/geo/`.

In: an `Index` and the `data/geo/` folder (GeoJSON of metropolitan départements and régions, by INSEE code).
Out: `build_map(index, geo_dir)` → `FranceMap`: SVG path data of every département and région around the
régions that have fiches, projected in Python (equirectangular, longitudes shortened by the cosine of the
mean latitude, which is close enough to Lambert at this scale), each département of the directory with its
territory id and number of fiches; and the same information as rows for the list beside the map.
No script, no tiles, nothing fetched at build or read time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .index import Index
from .text import sort_key

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
WIDTH = 640.0
MARGIN = 8.0


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    """SVG path data."""
    territory_id: str | None
    """Territory page of the directory, None for a département without one."""
    count: int
    label_x: float
    label_y: float


@dataclass(frozen=True)
class RegionRow:
    territory_id: str
    name: str
    count: int
    departements: tuple[tuple[str, str, int], ...]
    """(territory id, name, number of fiches) of its départements in the directory."""


@dataclass(frozen=True)
class FranceMap:
    width: float
    height: float
    areas: tuple[Area, ...]
    regions: tuple[str, ...]
    """SVG path data of the outlines of the régions shown."""
    rows: tuple[RegionRow, ...]


def _polygons(feature: dict) -> list:
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _bbox(features: list[dict]) -> tuple[float, float, float, float]:
    points = [point for f in features for polygon in _polygons(f) for ring in polygon for point in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _overlaps(one, other) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


class _Projection:
    def __init__(self, bbox):
        west, south, east, north = bbox
        self.shrink = math.cos(math.radians((south + north) / 2))
        self.west, self.north = west, north
        self.scale = (WIDTH - 2 * MARGIN) / ((east - west) * self.shrink)
        self.height = (north - south) * self.scale + 2 * MARGIN

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - self.west) * self.shrink * self.scale, MARGIN + (self.north - lat) * self.scale

    def path(self, feature: dict) -> str:
        parts = []
        for polygon in _polygons(feature):
            for ring in polygon:
                points = [self(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        return "".join(parts)

    def label(self, feature: dict) -> tuple[float, float]:
        """Centre of the largest ring's vertices: inside for the compact shapes of départements."""
        ring = max((polygon[0] for polygon in _polygons(feature)), key=len)
        points = [self(lon, lat) for lon, lat in ring[:-1]]
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def build_map(index: Index, geo_dir: Path = GEO_DIR) -> FranceMap:
    """The map and its list, for the régions and départements of the directory that have fiches."""
    territories = index.directory.territories
    by_code = {(t.kind, t.code): t for t in territories.values() if t.code and t.kind in ("region", "departement")}
    departements = json.loads((geo_dir / "departements.geojson").read_text(encoding="utf-8"))["features"]
    regions = json.loads((geo_dir / "regions.geojson").read_text(encoding="utf-8"))["features"]
    shown_regions = [f for f in regions if index.by_territory.get(getattr(by_code.get(("region", f["properties"]["code"])), "id", ""), [])]
    view = _bbox(shown_regions or regions)
    project = _Projection(view)
    areas = []
    for feature in departements:
        if not _overlaps(_bbox([feature]), view):
            continue
        territory = by_code.get(("departement", feature["properties"]["code"]))
        count = len(index.by_territory.get(territory.id, [])) if territory else 0
        x, y = project.label(feature)
        areas.append(Area(feature["properties"]["code"], feature["properties"]["nom"], project.path(feature), territory.id if territory and count else None, count, round(x, 1), round(y, 1)))
    rows = []
    for region in sorted((t for t in territories.values() if t.kind == "region"), key=lambda t: sort_key(t.name)):
        members = sorted((t for t in territories.values() if t.kind == "departement" and region.id in t.parent_ids), key=lambda t: sort_key(t.name))
        rows.append(RegionRow(region.id, region.name, len(index.by_territory.get(region.id, [])), tuple((t.id, t.name, len(index.by_territory.get(t.id, []))) for t in members)))
    return FranceMap(WIDTH, round(project.height, 1), tuple(areas), tuple(project.path(f) for f in shown_regions), tuple(rows))
