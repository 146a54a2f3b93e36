"""Make the map boundaries shipped with Palermo (run once; the output files are committed).

Source: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm package
``world-atlas`` 2.0.2 (ISC licence, by Mike Bostock). How the committed files were made:

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_region_geojson.py /tmp/package

Outputs, under ``palermo/diagnostics/static/diagnostics/``:

- ``region.geojson``: Europe, the Mediterranean rim and the Caucasus as GeoJSON features whose ``id`` is the
  ISO 3166 alpha-2 code (Kosovo, which has no ISO numeric code in Natural Earth, is ``XK``); coordinates rounded
  to 0.01 degree (about 1 km), repeated points dropped;
- ``topojson/world_110m.json``: the 1:110m land TopoJSON, served locally because plotly.js loads a base map file
  for geo charts from ``topojsonURL``: Palermo points that setting at its own static files, so nothing is fetched
  from a CDN.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pycountry

TARGET = Path(__file__).resolve().parents[1] / "palermo" / "diagnostics" / "static" / "diagnostics"
WEST, EAST, SOUTH, NORTH = -25.0, 50.0, 30.0, 72.0
NAMED = {"Kosovo": "XK", "N. Cyprus": "", "Somaliland": ""}
DIGITS = 2


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def inside(points: list[list[float]]) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return max(xs) >= WEST and min(xs) <= EAST and max(ys) >= SOUTH and min(ys) <= NORTH


def alpha2(geometry: dict[str, Any]) -> str:
    name = geometry.get("properties", {}).get("name", "")
    if name in NAMED:
        return NAMED[name]
    numeric = geometry.get("id")
    found = pycountry.countries.get(numeric=str(numeric).zfill(3)) if numeric else None
    return found.alpha_2 if found else ""


def main(package: Path) -> None:
    topology = json.loads((package / "countries-50m.json").read_text())
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if not code:
            continue
        parts = []
        for polygon in polygons(geometry):
            rings = [rounded(ring(r, arcs)) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if rings and inside(rings[0]):
                parts.append(rings)
        if not parts:
            continue
        features.append({"type": "Feature", "id": code,
                         "properties": {"iso_a2": code, "name": geometry["properties"]["name"]},
                         "geometry": {"type": "MultiPolygon", "coordinates": parts}})
    features.sort(key=lambda f: f["id"])
    collection = {"type": "FeatureCollection",
                  "source": "Natural Earth 1:50m admin-0 (public domain) via world-atlas 2.0.2",
                  "features": features}
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "region.geojson").write_text(json.dumps(collection, separators=(",", ":")))
    (TARGET / "topojson").mkdir(exist_ok=True)
    shutil.copyfile(package / "land-110m.json", TARGET / "topojson" / "world_110m.json")
    print(f"{len(features)} countries, {(TARGET / 'region.geojson').stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
