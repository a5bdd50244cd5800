"""Counts, rankings, timelines and coverage against the official totals, for any filtered set of pairings."""

from __future__ import annotations

from dataclasses import dataclass

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
