"""Build-time placement checks with geopandas. A violation raises `PlacementError` and the build fails.

- Every placed point lies inside its country (Natural Earth 1:50m as adjusted to China's official map), with a
  tolerance of `COAST_KM` for coastlines and small islands the 1:50m outlines smooth away.
- A Chinese unit lies inside its own province (ECharts' province outlines), with the same tolerance.
- A first-level partner (state, prefecture, province, oblast …) placed at a seat: the seat lies inside that
  unit's outline (Natural Earth 1:10m admin-1), so a namesake town elsewhere in the country fails.
"""

from __future__ import annotations

import json
from functools import lru_cache

import geopandas as gpd
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo import paths

COAST_KM = 25.0
SEAT_KM = 25.0
_DEG_PER_KM = 1 / 111.0


class PlacementError(AssertionError):
    """A placed point is outside its country or province, or a first-level unit is away from its seat."""


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, BaseGeometry]:
    from geo.build.basemap import CODES_BY_NAME

    raw = json.loads(paths.RAW_WORLD_ZH.read_text(encoding="utf-8"))
    out: dict[str, BaseGeometry] = {}
    for f in raw["features"]:
        iso3 = CODES_BY_NAME.get(f["properties"]["name"], (f["properties"]["iso_a3"], ""))[0]
        geom = shape(f["geometry"]).buffer(0)
        out[iso3] = out[iso3].union(geom) if iso3 in out else geom
    return out


@lru_cache(maxsize=1)
def province_shapes() -> dict[str, BaseGeometry]:
    from geo.build.basemap import PROVINCES_31, load_echarts_provinces

    by_adcode = {p.adcode: p.en for p in PROVINCES_31}
    return {by_adcode[str(p["adcode"])]: p["geometry"] for p in load_echarts_provinces(paths.RAW_ECHARTS_CHINA)
            if str(p["adcode"]) in by_adcode}


def _distance_km(geom: BaseGeometry, lon: float, lat: float) -> float:
    return float(geom.distance(Point(lon, lat))) / _DEG_PER_KM


@lru_cache(maxsize=1)
def _admin1_by_country() -> dict[str, BaseGeometry]:
    """Each country as the union of its Natural Earth 1:10m admin-1 units: it keeps small islands (the Azores,
    Samoa's smaller islands) that the 1:50m country outline smooths away."""
    from geo.build import admin1

    gdf = admin1.outlines().gdf
    gdf = gdf[gdf["type_en"] != "Region"]
    return {str(k): g.buffer(0) for k, g in gdf.dissolve(by="adm0_a3").geometry.items()}


def _in_admin1_of(iso3: str, pt: Point) -> bool:
    geom = _admin1_by_country().get(iso3)
    return geom is not None and (geom.contains(pt) or _distance_km(geom, pt.x, pt.y) <= COAST_KM)


def point_problems(places: dict[str, dict[str, str]]) -> list[str]:
    """Every place outside its country (or, for a Chinese place, its province) beyond the tolerance."""
    shapes = country_shapes()
    provs = province_shapes()
    frame = gpd.GeoDataFrame(
        [{"place_id": k, "iso3": v["country_iso3"], "province": v["province_en"], "side": v["side"]}
         for k, v in sorted(places.items())],
        geometry=[Point(float(v["lon"]), float(v["lat"])) for _, v in sorted(places.items())], crs="EPSG:4326")
    out = []
    for row in frame.itertuples():
        geom = shapes.get(row.iso3)
        if geom is None:
            out.append(f"{row.place_id}: no outline for country {row.iso3}")
            continue
        pt = row.geometry
        if not geom.contains(pt) and _distance_km(geom, pt.x, pt.y) > COAST_KM and \
                not _in_admin1_of(row.iso3, pt):
            out.append(f"{row.place_id} ({places[row.place_id]['name_en']}): outside {row.iso3} by "
                       f"{_distance_km(geom, pt.x, pt.y):.0f} km")
        if row.side == "cn" and row.province in provs:
            pg = provs[row.province]
            if not pg.contains(pt) and _distance_km(pg, pt.x, pt.y) > COAST_KM:
                out.append(f"{row.place_id} ({places[row.place_id]['name_en']}): outside the province "
                           f"{row.province} by {_distance_km(pg, pt.x, pt.y):.0f} km")
    return out


def seat_problems(rows: list[dict[str, str]], places: dict[str, dict[str, str]]) -> list[str]:
    """Every first-level partner whose point is not inside its own outline (when Natural Earth has it)."""
    from geo.build import admin1
    from geo.build.pairings import find_seat

    outlines = admin1.outlines()
    out = []
    seen: set[tuple[str, str]] = set()
    for r in rows:
        place = places.get(r["partner_place_id"])
        if r["partner_level"] not in ("state", "county") or place is None or \
                place["precision"] not in ("region_capital", "region_centre"):
            continue
        key = (r["partner_name_en"], r["partner_country_iso3"])
        if key in seen:
            continue
        seen.add(key)
        seat = find_seat(r["partner_name_en"], r["partner_name_zh"], r["partner_country_iso3"], "state")
        if seat is not None and seat.seat_outside:
            continue  # a seat outside its unit, said so in the seat table's note
        ne_name = seat.ne_name if seat else r["partner_name_en"]
        outline = outlines.find(r["partner_country_iso3"], ne_name)
        if outline is None:
            continue
        lon, lat = float(place["lon"]), float(place["lat"])
        if not outline.contains(Point(lon, lat)) and _distance_km(outline, lon, lat) > SEAT_KM:
            out.append(f"{r['partner_name_en']} ({r['partner_country_iso3']}) placed at {place['name_en']}, "
                       f"{_distance_km(outline, lon, lat):.0f} km outside its outline")
    return out


def check_places(rows: list[dict[str, str]], places: dict[str, dict[str, str]]) -> None:
    """Fail the build on any point outside its country or province, or a first-level unit off its seat."""
    problems = point_problems(places) + seat_problems(rows, places)
    if problems:
        raise PlacementError(f"{len(problems)} placement problem(s):\n  " + "\n  ".join(problems))
