"""Checks of the built basemap, the provinces table and the country anchor points."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo.basemap import (
    KIND_COUNTRY,
    KIND_PROVINCE,
    KIND_SEA_BOUNDARY,
    PACIFIC_CUT_LON,
    basemap_frame,
    load_basemap,
    pacific_lon,
    pacific_lon_array,
    plain_lon,
)
from geo.paths import BASEMAP, COUNTRY_POINTS, LEAFLET_DIR, PROVINCES


def _coords(obj: Any) -> Iterator[tuple[float, float]]:
    if isinstance(obj[0], (int, float)):
        yield obj[0], obj[1]
    else:
        for item in obj:
            yield from _coords(item)


@pytest.fixture(scope="module")
def fc() -> dict[str, Any]:
    return load_basemap()


@pytest.fixture(scope="module")
def countries(fc: dict[str, Any]) -> dict[str, BaseGeometry]:
    return {
        f["properties"]["iso3"]: shape(f["geometry"])
        for f in fc["features"]
        if f["properties"]["kind"] == KIND_COUNTRY
    }


def _rows(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_pacific_lon_rule() -> None:
    assert PACIFIC_CUT_LON == -30.0
    assert pacific_lon(-100) == 260
    assert pacific_lon(100) == 100
    assert pacific_lon(-30) == -30
    assert pacific_lon(-180) == 180
    assert plain_lon(pacific_lon(-74.0)) == -74.0
    arr = pacific_lon_array([-100.0, 100.0, -30.0, -31.0])
    assert np.allclose(arr, [260.0, 100.0, -30.0, 329.0])


def test_file_size_budget() -> None:
    assert BASEMAP.stat().st_size < 700_000


def test_all_coordinates_in_pacific_frame(fc: dict[str, Any]) -> None:
    n = 0
    for f in fc["features"]:
        for lon, lat in _coords(f["geometry"]["coordinates"]):
            assert -30.0 <= lon < 330.0, (f["properties"], lon)
            assert -90.0 <= lat <= 90.0
            n += 1
    assert n > 10_000


def test_feature_kinds_and_properties(fc: dict[str, Any]) -> None:
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds.count(KIND_COUNTRY) > 200
    assert kinds.count(KIND_PROVINCE) == 34  # 31 mainland + Taiwan, Hong Kong, Macau
    assert kinds.count(KIND_SEA_BOUNDARY) == 1
    for f in fc["features"]:
        p = f["properties"]
        if p["kind"] == KIND_COUNTRY:
            assert len(p["iso3"]) == 3 and p["iso3"] != "-99"
            assert p["name_en"] and p["name_zh"]
        elif p["kind"] == KIND_PROVINCE:
            assert len(p["adcode"]) == 6 and p["name_zh"]
        assert shape(f["geometry"]).is_valid
    iso = [f["properties"]["iso3"] for f in fc["features"] if f["properties"]["kind"] == KIND_COUNTRY]
    assert len(iso) == len(set(iso))


def test_china_includes_taiwan_hainan_and_islands(countries: dict[str, BaseGeometry]) -> None:
    china = countries["CHN"]
    assert china.contains(Point(121.56, 25.04))  # Taipei
    assert china.contains(Point(109.75, 19.2))  # central Hainan
    assert china.contains(Point(91.86, 27.59))  # Tawang, South Tibet
    assert china.contains(Point(79.5, 35.2))  # Aksai Chin
    assert not countries["IND"].contains(Point(91.86, 27.59))
    for iso3 in ("TWN", "HKG", "MAC"):
        assert iso3 not in countries
    # Xisha (Paracel) and Nansha (Spratly) islands are parts of the China feature
    assert any(110.0 < g.centroid.x < 113.0 and 15.5 < g.centroid.y < 17.5 for g in china.geoms)
    assert any(g.centroid.y < 11.0 for g in china.geoms)


def test_sea_boundary_is_ten_dashes(fc: dict[str, Any]) -> None:
    (sea,) = [f for f in fc["features"] if f["properties"]["kind"] == KIND_SEA_BOUNDARY]
    geom = shape(sea["geometry"])
    assert geom.geom_type == "MultiLineString"
    assert len(geom.geoms) == 10
    minx, miny, maxx, maxy = geom.bounds
    assert 107 < minx and maxx < 124 and 2 < miny and maxy < 26


def test_americas_east_of_china(countries: dict[str, BaseGeometry]) -> None:
    # Newark rather than Manhattan: at this scale the Manhattan point falls just offshore
    assert countries["USA"].contains(Point(-74.2 + 360.0, 40.75))
    assert countries["USA"].contains(Point(-87.6 + 360.0, 41.9))  # Chicago
    assert countries["USA"].contains(Point(-118.2 + 360.0, 34.1))  # Los Angeles
    assert countries["BRA"].contains(Point(-47.9 + 360.0, -15.8))  # Brasília
    assert countries["BRA"].bounds[0] > 180.0
    assert countries["GBR"].contains(Point(-1.5, 52.5))  # east of the cut: longitudes unchanged


def test_dateline_countries_are_continuous(countries: dict[str, BaseGeometry]) -> None:
    russia = countries["RUS"]
    # Chukotka straddles 180: after the shift it must be one polygon reaching both sides.
    assert any(p.bounds[0] < 179.0 and p.bounds[2] > 181.0 for p in russia.geoms)
    assert russia.contains(Point(pacific_lon(-175.0), 66.0))  # Chukotka east of 180
    assert russia.contains(Point(100.0, 60.0))
    assert russia.bounds[2] < 200.0
    # The Aleutians run on across 180 as part of the USA.
    usa = countries["USA"]
    assert usa.bounds[0] < 180.0 < usa.bounds[2]


def test_provinces_table() -> None:
    rows = _rows(PROVINCES)
    assert len(rows) == 31
    assert list(rows[0]) == ["province_zh", "province_en", "adcode", "macro_region", "lon", "lat"]
    regions = {r["province_en"]: r["macro_region"] for r in rows}
    assert set(regions.values()) == {"east", "central", "west", "northeast"}
    assert sum(v == "east" for v in regions.values()) == 10
    assert sum(v == "central" for v in regions.values()) == 6
    assert sum(v == "west" for v in regions.values()) == 12
    assert sum(v == "northeast" for v in regions.values()) == 3
    assert regions["Inner Mongolia"] == "west" and regions["Hainan"] == "east"
    assert {r["province_zh"] for r in rows} >= {"北京市", "内蒙古自治区", "新疆维吾尔自治区", "广西壮族自治区"}
    assert len({r["adcode"] for r in rows}) == 31


def test_province_capitals_inside_their_province(fc: dict[str, Any]) -> None:
    shapes = {
        f["properties"]["adcode"]: shape(f["geometry"])
        for f in fc["features"]
        if f["properties"]["kind"] == KIND_PROVINCE
    }
    for r in _rows(PROVINCES):
        pt = Point(float(r["lon"]), float(r["lat"]))
        # 0.1 degree slack: coastal capitals can sit on a simplified shoreline
        assert shapes[r["adcode"]].buffer(0.1).contains(pt), r


def test_country_points(countries: dict[str, BaseGeometry]) -> None:
    rows = _rows(COUNTRY_POINTS)
    assert {r["iso3"] for r in rows} == set(countries)
    for r in rows:
        lon, lat = float(r["lon"]), float(r["lat"])
        assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0
        assert countries[r["iso3"]].buffer(1e-6).contains(Point(pacific_lon(lon), lat)), r
    usa = next(r for r in rows if r["iso3"] == "USA")
    assert float(usa["lon"]) < -60.0


def test_basemap_frame() -> None:
    frame = basemap_frame(kinds=(KIND_COUNTRY,))
    assert len(frame) > 200
    assert set(frame["kind"]) == {KIND_COUNTRY}
    assert frame.total_bounds[2] < 330.0


def test_leaflet_vendored() -> None:
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png", "images/layers.png"):
        assert (LEAFLET_DIR / name).is_file(), name
    assert "Leaflet 1.9.4" in (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")[:300]
