"""England's 153 children's services authorities as map shapes.

The reference boundary file holds UK local authority districts (April 2023). County councils are
not features of their own, so their districts (``lad_to_county.csv``) are dissolved into one shape
per county with shapely; unitary, metropolitan and London authorities are districts already.
Everything outside England, and every district of a county, is left out. Built once per process
at first use and kept in memory (about a second).
"""

from __future__ import annotations

import csv
import functools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely import make_valid, set_precision
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

BOUNDARIES = "la_boundaries.geojson"
COUNTIES = "lad_to_county.csv"
LOOKUP = "la_lookup.csv"
# Degrees: about 100 m, invisible at the map's scale and a twentieth of the file's size.
SIMPLIFY = 0.001
GRID = 0.0001  # coordinates snapped to this grid (rounded, and the shape kept valid)
MIN_AREA = 1e-6  # square degrees (about 0.01 km2): slivers and rocks left out


@dataclass(frozen=True)
class Authority:
    la_code: str  # DfE code, the app's key for an authority
    ons_code: str  # current ONS code (E06/E08/E09 district or E10 county)
    name: str
    region: str


def current_authorities(reference: Path) -> list[Authority]:
    """The authorities with children's services today: rows of la_lookup.csv that have a current
    ONS code (former councils such as Cumbria or Poole have none)."""
    return list(_current(reference, (reference / LOOKUP).stat().st_mtime_ns))


@functools.lru_cache(maxsize=4)
def _current(reference: Path, _stamp: int) -> tuple[Authority, ...]:
    with (reference / LOOKUP).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Authority(
            row["la_code"].strip(),
            row["la_code_new"].strip(),
            row["local_authority_ons_name"].strip(),
            row["region_name"].strip(),
        )
        for row in rows
        if row.get("la_code_new", "").strip().startswith("E")
    )


def former_authorities(reference: Path) -> dict[str, str]:
    """LA code -> name of councils that no longer exist (their reports are kept, not mapped)."""
    with (reference / LOOKUP).open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["la_code"].strip(): row["local_authority_ons_name"].strip()
            for row in csv.DictReader(handle)
            if not row.get("la_code_new", "").strip()
        }


def available(reference: Path) -> bool:
    """Whether the reference folder holds the three files the map is built from."""
    return all((reference / name).is_file() for name in (BOUNDARIES, COUNTIES, LOOKUP))


def warm(reference: Path) -> None:
    """Build the map in the background at start-up, so the first visitor does not wait."""
    if available(reference):
        threading.Thread(target=england_geojson, args=(reference,), daemon=True).start()


def england_geojson(reference: Path) -> bytes:
    """The GeoJSON the home map draws (cached per reference folder and file versions)."""
    files = [reference / name for name in (BOUNDARIES, COUNTIES, LOOKUP)]
    stamp = tuple(path.stat().st_mtime_ns for path in files)
    return _build(reference, stamp)


@functools.lru_cache(maxsize=2)
def _build(reference: Path, _stamp: tuple[int, ...]) -> bytes:
    data = json.loads((reference / BOUNDARIES).read_text(encoding="utf-8"))
    districts: dict[str, BaseGeometry] = {
        feature["properties"]["LAD23CD"]: make_valid(shape(feature["geometry"]))
        for feature in data["features"]
        if str(feature["properties"].get("LAD23CD", "")).startswith("E")
    }
    counties: dict[str, list[str]] = {}
    with (reference / COUNTIES).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            counties.setdefault(row["cty23cd"], []).append(row["lad23cd"])
    features = []
    for authority in current_authorities(reference):
        parts = counties.get(authority.ons_code, [authority.ons_code])
        found = [districts[code] for code in parts if code in districts]
        if not found:
            continue
        geometry = unary_union(found).simplify(SIMPLIFY, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {"la_code": authority.la_code, "name": authority.name},
                "geometry": _for_d3(geometry),
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()


def _for_d3(geometry: BaseGeometry) -> dict[str, Any]:
    """Coordinates snapped to a grid, slivers dropped, rings wound clockwise as d3's spherical
    projection expects (GeoJSON files wind them the other way, which d3 reads as 'the whole
    globe except this area')."""
    snapped = set_precision(geometry, GRID)
    polygons = [
        orient(polygon, sign=-1.0)
        for polygon in getattr(snapped, "geoms", [snapped])
        if polygon.geom_type == "Polygon" and polygon.area >= MIN_AREA
    ]
    out = mapping(polygons[0] if len(polygons) == 1 else MultiPolygon(polygons))
    rounded: dict[str, Any] = _rounded(out)
    return rounded


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value
