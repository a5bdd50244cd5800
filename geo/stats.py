"""Counts, rankings, timelines and coverage against the official totals, for any filtered set of pairings."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

BRI_START_YEAR = 2013


@dataclass(frozen=True)
class Summary:
    shown: int
    total: int
    countries: int
    provinces: int
    dated: int
    placed: int

    @property
    def dated_share(self) -> float:
        return self.dated / self.shown if self.shown else 0.0

    @property
    def placed_share(self) -> float:
        return self.placed / self.shown if self.shown else 0.0


def summary(shown: pd.DataFrame, total: int) -> Summary:
    return Summary(
        shown=len(shown), total=total,
        countries=shown.loc[shown["partner_country_iso3"] != "", "partner_country_iso3"].nunique(),
        provinces=shown.loc[shown["cn_province_en"] != "", "cn_province_en"].nunique(),
        dated=int(shown["year"].notna().sum()), placed=int(shown["placed"].sum()),
    )


def latest_official(totals: pd.DataFrame, scope: str = "national", key: str = "") -> pd.Series | None:
    """The most recent official figure for a scope/key (by date string, which sorts as YYYY[-MM[-DD]])."""
    rows = totals[(totals["scope"] == scope) & (totals["key"] == key) & (totals["pairs"] != "")]
    if rows.empty:
        return None
    return rows.sort_values("date").iloc[-1]


def ranking(df: pd.DataFrame, by: str, totals: pd.DataFrame | None = None, scope: str = "",
            top: int = 20) -> pd.DataFrame:
    """Pairings per value of `by`, most first; with the latest official figure where `totals` has one."""
    counts = df[df[by] != ""].groupby(by).size().rename("pairings").reset_index()
    counts = counts.sort_values(["pairings", by], ascending=[False, True]).head(top).reset_index(drop=True)
    if totals is not None and scope:
        official = totals[(totals["scope"] == scope) & (totals["pairs"] != "")].sort_values("date")
        latest = official.groupby("key").tail(1).set_index("key")
        counts["official"] = pd.to_numeric(latest["pairs"].reindex(counts[by]).to_numpy(), errors="coerce")
        counts["official_date"] = latest["date"].reindex(counts[by]).fillna("").to_numpy()
        counts["official_source"] = latest["source_outlet"].reindex(counts[by]).fillna("").to_numpy()
    return counts


def per_year(df: pd.DataFrame, split: str | None = None) -> pd.DataFrame:
    """Dated pairings signed per year (long form: year, [split], pairings); undated rows are not counted."""
    dated = df[df["year"].notna()]
    keys = ["year"] + ([split] if split else [])
    out = dated.groupby(keys).size().rename("pairings").reset_index()
    out["year"] = out["year"].astype(int)
    return out


def cumulative(df: pd.DataFrame) -> pd.DataFrame:
    """Running total of dated pairings by year, with every year from the first to the last filled in."""
    yearly = per_year(df)
    if yearly.empty:
        return pd.DataFrame({"year": [], "cumulative": []})
    years = pd.DataFrame({"year": range(int(yearly["year"].min()), int(yearly["year"].max()) + 1)})
    merged = years.merge(yearly, on="year", how="left").fillna({"pairings": 0})
    merged["cumulative"] = merged["pairings"].cumsum().astype(int)
    return merged[["year", "cumulative"]]


def official_series(totals: pd.DataFrame) -> pd.DataFrame:
    """National official totals as (year as float for plotting, pairs, date, source)."""
    rows = totals[(totals["scope"] == "national") & (totals["pairs"] != "")].copy()
    parts = rows["date"].str.split("-", expand=True)
    year = parts[0].astype(float)
    month = pd.to_numeric(parts[1], errors="coerce").fillna(6) if parts.shape[1] > 1 else 6
    rows["year_float"] = year + (month - 1) / 12
    rows["pairs"] = rows["pairs"].astype(int)
    return rows[["year_float", "pairs", "date", "source_outlet"]].sort_values("year_float").reset_index(drop=True)


def bri_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per Belt and Road group: pairings, dated before 2013, since 2013, undated."""
    bri = df[df["bri_group"] != "none"]
    before = bri["year"].notna() & (bri["year"] < BRI_START_YEAR)
    since = bri["year"].notna() & (bri["year"] >= BRI_START_YEAR)
    table = pd.DataFrame({
        "pairings": bri.groupby("bri_group").size(),
        "before_2013": before.groupby(bri["bri_group"]).sum(),
        "since_2013": since.groupby(bri["bri_group"]).sum(),
        "year_unknown": bri["year"].isna().groupby(bri["bri_group"]).sum(),
    }).fillna(0).astype(int)
    return table.sort_values("pairings", ascending=False).reset_index()


def leading_provinces(df: pd.DataFrame, group: str, top: int = 5) -> pd.DataFrame:
    return ranking(df[df["bri_group"] == group], "cn_province_en", top=top)


def city_partners(df: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """Every pairing in which `place_id` is either end, dated first by year."""
    rows = df[(df["cn_place_id"] == place_id) | (df["partner_place_id"] == place_id)]
    return rows.sort_values(["year", "partner_name_en"], na_position="last")


# --- Timeline, rankings, Belt and Road and city-profile helpers -------------------------------------------------

# Province-level units that are also cities; they count as cities in the Chinese-city ranking.
MUNICIPALITIES = ("Beijing", "Tianjin", "Shanghai", "Chongqing")

# Columns the timeline can split the yearly bars by.
SPLITS = {"era": "era_id", "continent": "continent_en", "level": "level_class", "bri": "bri_group"}


def unknown_year_count(df: pd.DataFrame) -> int:
    """How many pairings have no known year (and so cannot appear in a per-year chart)."""
    return int(df["year"].isna().sum())


def per_year_split(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Dated pairings per year split by one of `SPLITS` (long form: year, group, pairings).
    An empty group value (e.g. a country without continent) is reported as 'unknown'."""
    column = SPLITS[dimension]
    dated = df[df["year"].notna()]
    groups = dated[column].replace("", "unknown")
    out = dated.assign(group=groups).groupby(["year", "group"]).size().rename("pairings").reset_index()
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", "group"]).reset_index(drop=True)


def official_vs_dated(df: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """The national official totals (as `official_series`) with, for each, how many of `df`'s dated pairings
    were signed in or before that figure's year (`dated_by_then`) — the gap the timeline shows."""
    series = official_series(totals)
    years = df["year"].dropna().astype(int)
    series["dated_by_then"] = [int((years <= int(y)).sum()) for y in series["year_float"]]
    return series


def as_of_counts(df: pd.DataFrame, year: int) -> tuple[int, int]:
    """(dated pairings signed in or before `year`, pairings of unknown year) — the unknown ones cannot be
    placed in a snapshot of the network as it stood in `year`."""
    known = df["year"].notna()
    by_then = known & (df["year"].fillna(9999) <= year)
    return int(by_then.sum()), int((~known).sum())


def bri_periods(df: pd.DataFrame, group: str) -> dict[str, int]:
    """For one Belt and Road group: pairings in total, signed before 2013, since 2013, year unknown."""
    rows = df[df["bri_group"] == group]
    known = rows["year"].notna()
    year = rows["year"].fillna(0)
    return {"pairings": len(rows), "before_2013": int((known & (year < BRI_START_YEAR)).sum()),
            "since_2013": int((known & (year >= BRI_START_YEAR)).sum()), "year_unknown": int((~known).sum())}


def city_ranking(df: pd.DataFrame, totals: pd.DataFrame | None = None, top: int = 20,
                 places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairings per Chinese city, most first: columns city (key), name_zh, name_en, province_zh, province_en,
    pairings, and the latest official figure (scope 'city') where one is known.

    A city is its place (a district drawn at its city counts for the city); a row not placed joins the place of
    the same Chinese name in its province, or stands alone under that name. So cities that share an English name
    (泰州 Taizhou in Jiangsu, 台州 Taizhou in Zhejiang) stay apart. Names come from `places` where given.
    Province-level units count only when they are municipalities (Beijing, Tianjin, Shanghai, Chongqing).
    Official figures are keyed by English name, so a figure is attached only to a city whose English name no
    other city in `df` shares."""
    columns = ["city", "name_zh", "name_en", "province_zh", "province_en", "pairings"]
    cities = df[(df["cn_level"] != "province") | df["cn_province_en"].isin(MUNICIPALITIES)]
    by_name = cities["cn_name_zh"] + "|" + cities["cn_province_en"]
    placed = cities["cn_place_id"] != ""
    # A row not placed joins the place its Chinese name has in the same province elsewhere, if any.
    known = pd.Series(cities["cn_place_id"][placed].to_numpy(), index=by_name[placed].to_numpy())
    known = known[~known.index.duplicated()]
    key = cities["cn_place_id"].where(placed, by_name.map(known).fillna("name:" + by_name))
    key = key[placed | (cities["cn_name_zh"] != "") | (cities["cn_name_en"] != "")]
    if key.empty:
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame({"city": key, "name_zh": cities["cn_name_zh"], "name_en": cities["cn_name_en"],
                         "province_zh": cities["cn_province_zh"], "province_en": cities["cn_province_en"]},
                        index=key.index)
    # The name most rows use (a district placed at its city is outnumbered by the city's own rows).
    text = pd.DataFrame(index=pd.Index(sorted(set(rows["city"])), name="city"))
    for col in columns[1:5]:
        counts = rows[rows[col] != ""].groupby(["city", col]).size().rename("n").reset_index()
        counts = counts.sort_values(["n", col], ascending=[False, True]).drop_duplicates("city")
        text[col] = counts.set_index("city")[col].reindex(text.index).fillna("")
    if places is not None and len(places):
        own = places.set_index("place_id")[["name_zh", "name_en"]].reindex(text.index).fillna("")
        for col in ("name_zh", "name_en"):
            text[col] = own[col].where(own[col] != "", text[col])
    out = text.fillna("").join(rows.groupby("city").size().rename("pairings")).reset_index()
    out = out.sort_values(["pairings", "name_en", "city"], ascending=[False, True, True]).head(top)
    out = out.reset_index(drop=True)[columns]
    if totals is not None:
        official = totals[(totals["scope"] == "city") & (totals["pairs"] != "")].sort_values("date")
        latest = official.groupby("key").tail(1).set_index("key")
        shared = set(text["name_en"][text["name_en"].duplicated(keep=False)])
        names = out["name_en"].where(~out["name_en"].isin(shared), "")
        out["official"] = pd.to_numeric(latest["pairs"].reindex(names).to_numpy(), errors="coerce")
        out["official_date"] = latest["date"].reindex(names).fillna("").to_numpy()
        out["official_source"] = latest["source_outlet"].reindex(names).fillna("").to_numpy()
    return out


def city_labels(table: pd.DataFrame, lang: str) -> list[str]:
    """The city ranking's names in `lang` (the other language where one is missing), with the province added
    where two cities of the table would read the same (Taizhou (Jiangsu), Taizhou (Zhejiang))."""
    first, second = ("zh", "en") if lang == "zh" else ("en", "zh")
    names = [str(a or b or c) for a, b, c in zip(table[f"name_{first}"], table[f"name_{second}"], table["city"],
                                                  strict=True)]
    provinces = [str(a or b) for a, b in zip(table[f"province_{first}"], table[f"province_{second}"], strict=True)]
    repeated = {n for n in names if names.count(n) > 1}
    return [f"{n} ({p})" if n in repeated and p and p != n else n for n, p in zip(names, provinces, strict=True)]


def name_lookup(df: pd.DataFrame, key: str, zh: str, en: str) -> dict[str, tuple[str, str]]:
    """key value -> (Chinese name, English name), taking the first non-empty name of each; either may be ''."""
    out: dict[str, tuple[str, str]] = {}
    for k, name_zh, name_en in zip(df[key], df[zh], df[en], strict=True):
        if not k:
            continue
        old_zh, old_en = out.get(str(k), ("", ""))
        out[str(k)] = (old_zh or str(name_zh or ""), old_en or str(name_en or ""))
    return out


def city_choices(df: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every place that is an end of some pairing: place_id, side ('cn'/'partner'), name_zh, name_en,
    region_zh, region_en (province for Chinese places, country for foreign ones), its number of pairings and
    `aliases` (every other name the pairings use for it, e.g. a district placed at its city). Names come from
    `places` where given, so a city is never labelled by one of its districts. Chinese places first, then by
    number of pairings."""
    columns = ["place_id", "side", "name_zh", "name_en", "region_zh", "region_en", "pairings", "aliases"]
    cn = pd.DataFrame({"place_id": df["cn_place_id"], "side": "cn", "name_zh": df["cn_name_zh"],
                       "name_en": df["cn_name_en"], "region_zh": df["cn_province_zh"],
                       "region_en": df["cn_province_en"]})
    partner = pd.DataFrame({"place_id": df["partner_place_id"], "side": "partner", "name_zh": df["partner_name_zh"],
                            "name_en": df["partner_name_en"], "region_zh": df["partner_country_zh"],
                            "region_en": df["partner_country_en"]})
    both = pd.concat([cn, partner], ignore_index=True)
    both = both[both["place_id"] != ""]
    if both.empty:
        return pd.DataFrame(columns=columns)
    counts = both.groupby("place_id").size().rename("pairings")
    names = pd.concat([both["name_zh"], both["name_en"]]).groupby(
        pd.concat([both["place_id"], both["place_id"]])).agg(lambda s: "|".join(dict.fromkeys(x for x in s if x)))
    # First non-empty value of each text column per place.
    text = both.replace("", pd.NA).groupby("place_id", sort=False).first().fillna("")
    if places is not None and len(places):
        own = places.set_index("place_id")[["name_zh", "name_en"]].reindex(text.index)
        for col in ("name_zh", "name_en"):
            text[col] = own[col].fillna("").where(own[col].fillna("") != "", text[col])
    out = text.join(counts).join(names.rename("aliases")).reset_index()
    out["order"] = (out["side"] != "cn").astype(int)
    out = out.sort_values(["order", "pairings", "name_en"], ascending=[True, False, True])
    return out.drop(columns="order").reset_index(drop=True)[columns]


def place_label(row: Mapping[Hashable, Any] | pd.Series, lang: str) -> str:
    """'name (province or country)' in the chosen language, falling back to the other; the region is left out
    when it is the name itself (a province-level place)."""
    first, second = ("zh", "en") if lang == "zh" else ("en", "zh")
    name = str(row.get(f"name_{first}") or row.get(f"name_{second}") or row.get("place_id") or "")
    region = str(row.get(f"region_{first}") or row.get(f"region_{second}") or "")
    return f"{name} ({region})" if region and region != name else name


def city_cases(rows: pd.DataFrame, links: dict[int, str | None]) -> list[int]:
    """Case numbers whose pairing is among `rows` (case number -> pair_id as `geo.cases.resolve` gives)."""
    ids = set(rows["pair_id"])
    return sorted(n for n, pid in links.items() if pid and pid in ids)
