"""Read and validate the embedded dataset once, and join it into one table of pairings the app can filter.

Every check failure raises `AtlasDataError` naming the file, row, column and problem. A pairing whose ends
cannot be placed is kept (with `placed == False`) so that pages can list it; nothing is dropped.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo import affinity, eras, paths, regions
from geo._validate import (
    AtlasDataError,
    check_columns,
    check_coordinate,
    check_unique,
    column_values,
    first_true,
    parse_date,
    require_columns,
)
from geo.schema import (
    CN_LEVELS,
    PAIRING_OPTIONAL_DEFAULTS,
    PAIRING_REQUIRED,
    PARTNER_LEVELS,
    PLACE_REQUIRED,
    STATUSES,
    TIE_TYPES,
)


@dataclass(frozen=True)
class Atlas:
    """Everything the pages need, validated. `pairings` is the joined, enriched table."""

    pairings: pd.DataFrame
    places: pd.DataFrame
    countries: pd.DataFrame
    provinces: pd.DataFrame
    eras: pd.DataFrame
    bri: pd.DataFrame
    official_totals: pd.DataFrame
    rules: affinity.RuleSet
    data_dir: Path
    # Old pair id -> (the id it became, or '' for none; why), from data/pair_aliases.csv: links made before a
    # rebuild changed an id keep working (geo.find.resolve_pair).
    pair_aliases: dict[str, tuple[str, str]] = field(default_factory=dict)


def read_table(path: Path, required: list[str] | None = None) -> pd.DataFrame:
    """A CSV as strings ('' for empty), with clear errors for a missing file, bad encoding or columns."""
    name = path.name
    if not path.exists():
        raise AtlasDataError(name, f"file not found at {path}")
    try:
        # The csv module splits records itself, so a quoted field may hold a line break or U+2028.
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise AtlasDataError(name, f"not valid UTF-8 (byte {exc.start})") from None
    if not rows:
        raise AtlasDataError(name, "file is empty")
    header = [h.strip() for h in rows[0]]
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise AtlasDataError(name, f"has {len(row)} fields, header has {len(header)}", n)
    if required:
        require_columns(name, header, required)
    return pd.DataFrame(rows[1:], columns=header, dtype="str").fillna("")


def _check_date(value: str) -> None:
    parse_date(value)


def _in(allowed: set[str] | tuple[str, ...], what: str, allow_empty: bool = False):  # type: ignore[no-untyped-def]
    def check(value: str) -> None:
        if (value or not allow_empty) and value not in allowed:
            raise ValueError(f"{what} {value!r} is not one of {', '.join(sorted(allowed)[:12])}")
    return check


def validate_pairings(df: pd.DataFrame, countries: set[str], provinces: set[str], places: set[str],
                      name: str = "pairings.csv") -> None:
    """Schema, codes, dates, references and duplicates of the pairings table (with the optional columns filled
    by `with_optional_columns`)."""
    require_columns(name, df.columns, PAIRING_REQUIRED)

    def nonempty(value: str) -> None:
        if not value.strip():
            raise ValueError("is empty")

    def known_place(value: str) -> None:
        if value and value not in places:
            raise ValueError(f"place id {value!r} is not in places.csv")

    check_columns(name, df, {
        "pair_id": nonempty, "cn_name_en": nonempty, "partner_name_en": nonempty, "source": nonempty,
        "cn_level": _in(CN_LEVELS, "level"), "partner_level": _in(PARTNER_LEVELS, "level"),
        "tie_type": _in(TIE_TYPES, "tie type"), "established": _check_date,
        "status": _in(STATUSES, "status", allow_empty=True), "status_date": _check_date,
        "partner_country_iso3": _in(countries, "country code"),
        # An ambiguous Chinese name may leave the province unknown; such rows stay, listed as unplaced.
        "cn_province_en": _in(provinces, "province", allow_empty=True),
        "cn_place_id": known_place, "partner_place_id": known_place,
    })
    dated = np.array([bool(v) for v in column_values(df, "established")], dtype=bool)
    status = column_values(df, "status") if "status" in df.columns else ["active"] * len(df)
    ended = np.array([s not in ("", "active") for s in status], dtype=bool)
    first_true(name, [
        ("date_source", "a date without a source", dated & _blank(column_values(df, "date_source"))),
        ("status_source", "an ended or suspended tie without a source",
         ended & _blank(column_values(df, "status_source"))),
        ("status_date", "a status date on a tie that has not ended or been suspended",
         ~ended & ~_blank(column_values(df, "status_date"))),
    ])
    check_unique(name, df["pair_id"], "pair_id")
    ends = df["cn_name_en"].str.lower() + "|" + df["cn_level"] + "|" + df["partner_name_en"].str.lower() + "|" + \
        df["partner_country_iso3"] + "|" + df["partner_level"]
    check_unique(name, ends, "cn_name_en+partner_name_en")


def _blank(values: list[str]) -> np.ndarray:
    """One flag per value: empty or only white space (as str.strip sees it)."""
    return np.array([not v.strip() for v in values], dtype=bool)


def validate_precision(df: pd.DataFrame, name: str = "pairings.csv") -> None:
    """`precision` must tell the truth: a first-level partner (state, prefecture, province …) is never drawn at a
    point that claims to be a city's own (it is at its seat, `region_capital`, or inside its outline)."""
    bad = ((df["partner_level"] == "state") & (df["partner_precision"] == "city")).to_numpy().nonzero()[0]
    if len(bad):
        first = int(bad[0])
        raise AtlasDataError(name, f"the state-level partner {df['partner_name_en'].iloc[first]!r} is placed at a "
                                   "city's own point (precision 'city'); place it at its seat", first + 2,
                             "partner_place_id")


def with_optional_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The pairings with every optional column present (older files and imports may lack some)."""
    missing = {col: default for col, default in PAIRING_OPTIONAL_DEFAULTS.items() if col not in df.columns}
    out = df.assign(**missing) if missing else df
    if "status" not in missing:
        out = out.assign(status=out["status"].where(out["status"] != "", "active"))
    return out


def validate_places(df: pd.DataFrame, name: str = "places.csv") -> None:
    require_columns(name, df.columns, PLACE_REQUIRED)
    check_unique(name, df["place_id"], "place_id")
    for n, (lat, lon) in enumerate(zip(column_values(df, "lat"), column_values(df, "lon"), strict=True), start=2):
        try:
            check_coordinate(lat, lon)
        except ValueError as exc:
            raise AtlasDataError(name, str(exc), n, "lat/lon") from None


def enrich(pairings: pd.DataFrame, places: pd.DataFrame, countries: pd.DataFrame, provinces: pd.DataFrame,
           era_table: pd.DataFrame, bri: pd.DataFrame) -> pd.DataFrame:
    """Join places, regions, eras and derived fields onto the pairings (one row per pairing, same order)."""
    df = pairings.copy()
    coords = places.set_index("place_id")[["lat", "lon", "name_zh", "name_en", "precision"]]
    for side in ("cn", "partner"):
        joined = coords.reindex(df[f"{side}_place_id"])
        df[f"{side}_lat"] = pd.to_numeric(joined["lat"].to_numpy(), errors="coerce")
        df[f"{side}_lon"] = pd.to_numeric(joined["lon"].to_numpy(), errors="coerce")
        df[f"{side}_precision"] = joined["precision"].fillna("").to_numpy()
        # The place's own name: a city is labelled as itself on the map even when the row is one of its
        # districts placed at the city's point (Qingdao, not 崂山区).
        df[f"{side}_place_zh"] = joined["name_zh"].fillna("").to_numpy()
        df[f"{side}_place_en"] = joined["name_en"].fillna("").to_numpy()
    df["placed"] = df[["cn_lat", "cn_lon", "partner_lat", "partner_lon"]].notna().all(axis=1)
    # Partner names in Chinese: the research rows' name first, else the place's Chinese name where known.
    place_zh = coords["name_zh"].reindex(df["partner_place_id"]).fillna("").to_numpy()
    df["partner_name_zh"] = np.where(df["partner_name_zh"] != "", df["partner_name_zh"], place_zh)

    years = df["established"].str.slice(0, 4)
    df["year"] = pd.to_numeric(years.where(years != ""), errors="coerce").astype("Int64")
    df["era_id"] = eras.era_for_years(df["year"], era_table)

    ctry = countries.set_index("iso3")
    for col in ("name_en", "name_zh", "continent_en", "continent_zh", "subregion_en", "subregion_zh"):
        target = {"name_en": "partner_country_en", "name_zh": "partner_country_zh"}.get(col, col)
        df[target] = ctry[col].reindex(df["partner_country_iso3"]).fillna("").to_numpy()
    df["bri_group"] = bri.set_index("iso3")["bri_group"].reindex(df["partner_country_iso3"]).fillna(
        regions.NOT_BRI).to_numpy()
    df["macro_region"] = provinces.set_index("province_en")["macro_region"].reindex(
        df["cn_province_en"]).fillna("").to_numpy()
    df["level_class"] = regions.level_class(df["cn_level"])
    df["distance_km"] = affinity.haversine_km(df["cn_lat"], df["cn_lon"], df["partner_lat"], df["partner_lon"])
    return df


def load_atlas(data_dir: Path = paths.DATA) -> Atlas:
    """Load, validate and join the dataset in `data_dir` (the embedded one by default)."""
    countries = read_table(data_dir / paths.COUNTRIES.name, ["iso3", "iso2", "name_en", "name_zh"])
    provinces = read_table(data_dir / paths.PROVINCES.name,
                           ["province_zh", "province_en", "macro_region", "lon", "lat"])
    places = read_table(data_dir / paths.PLACES.name, PLACE_REQUIRED)
    validate_places(places)
    era_table = read_table(data_dir / paths.ERAS.name, ["era_id", "start_year", "end_year", "label_zh", "label_en"])
    bri = read_table(data_dir / paths.BRI_COUNTRIES.name, ["iso3", "bri_group", "group_zh", "group_en"])
    totals = read_table(data_dir / paths.OFFICIAL_TOTALS.name, ["scope", "key", "date", "pairs", "countries",
                                                                 "source_outlet"])
    pairings = with_optional_columns(read_table(data_dir / paths.PAIRINGS.name, PAIRING_REQUIRED))
    validate_pairings(pairings, set(countries["iso3"]), set(provinces["province_en"]), set(places["place_id"]))
    rules = affinity.load_rules(data_dir / paths.AFFINITY_RULES.name)
    overrides_path = data_dir / paths.AFFINITY_OVERRIDES.name
    overrides = read_table(overrides_path, ["cn_name_en", "partner_name_en", "partner_country_iso3", "affinity"]) \
        if overrides_path.exists() else None
    df = enrich(pairings, places, countries, provinces, era_table, bri)
    validate_precision(df)
    tags = affinity.tag(df, rules, overrides)
    df = pd.concat([df, tags], axis=1)
    aliases = read_pair_aliases(data_dir / paths.PAIR_ALIASES.name, set(pairings["pair_id"].tolist()))
    return Atlas(df, places, countries, provinces, era_table, bri, totals, rules, data_dir, aliases)


def read_pair_aliases(path: Path, ids: set[str]) -> dict[str, tuple[str, str]]:
    """data/pair_aliases.csv as old id -> (new id or '', reason); none if the data folder has no such file. An
    alias must lead to a pairing of the table or to none, and an old id must not be a live one (a link means one
    thing)."""
    if not path.exists():
        return {}
    table = read_table(path, ["old_id", "new_id", "reason"])
    out: dict[str, tuple[str, str]] = {}
    for n, (old, new, reason) in enumerate(zip(table["old_id"].tolist(), table["new_id"].tolist(),
                                               table["reason"].tolist(), strict=True), start=2):
        if not old or old in ids:
            raise AtlasDataError(path.name, f"old_id {old!r} is empty or names a pairing that exists", row=n,
                                 column="old_id")
        if new and new not in ids:
            raise AtlasDataError(path.name, f"new_id {new!r} is not in pairings.csv", row=n, column="new_id")
        if old in out:
            raise AtlasDataError(path.name, f"old_id {old!r} is listed twice", row=n, column="old_id")
        out[old] = (new, reason)
    return out
