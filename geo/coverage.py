"""`python -m geo.coverage`: how complete the embedded dataset is, against the latest official totals.

Prints pairings, countries, provinces, the share dated and placed, the official comparison nationally, per
partner country and per Chinese province (the official order beside ours, and the gap), and every pairing that
cannot be placed (with the reason), so nothing is dropped silently. The same figures are returned by `coverage()`,
`by_country()` and `by_province()` for the app.

What is compared: official figures count formal friendship ties that stand. Ours are counted the same way
("comparable": active ties whose type is formal or not known; friendly-exchange ties, approved-but-unsigned ties,
letters of intent and ended ties are left out) and, beside it, everything we hold.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import paths, stats
from geo.load import Atlas, load_atlas


@dataclass(frozen=True)
class Coverage:
    pairings: int
    countries: int
    provinces: int
    dated: int
    placed: int
    official_pairs: int | None
    official_countries: int | None
    official_date: str
    official_source: str
    unplaced: pd.DataFrame
    comparable: int = 0  # standing ties, formal or of unknown type: counted as the official figures count

    @property
    def dated_share(self) -> float:
        return self.dated / self.pairings if self.pairings else 0.0

    @property
    def placed_share(self) -> float:
        return self.placed / self.pairings if self.pairings else 0.0

    @property
    def official_share(self) -> float | None:
        return self.pairings / self.official_pairs if self.official_pairs else None


def _reason(row: pd.Series) -> str:
    missing = []
    if pd.isna(row["cn_lat"]):
        missing.append("Chinese side not in the gazetteer" if row["cn_province_en"] else
                       "Chinese side ambiguous (province unknown)")
    if pd.isna(row["partner_lat"]):
        missing.append("partner not in the gazetteer")
    return "; ".join(missing)


def coverage(atlas: Atlas) -> Coverage:
    df = atlas.pairings
    s = stats.summary(df, len(df))
    official = stats.latest_official(atlas.official_totals)
    unplaced = df[~df["placed"]].copy()
    unplaced["reason"] = unplaced.apply(_reason, axis=1) if len(unplaced) else []
    return Coverage(
        pairings=s.shown, countries=s.countries, provinces=s.provinces, dated=s.dated, placed=s.placed,
        official_pairs=int(official["pairs"]) if official is not None else None,
        official_countries=int(official["countries"]) if official is not None and official["countries"] else None,
        official_date=str(official["date"]) if official is not None else "",
        official_source=str(official["source_outlet"]) if official is not None else "",
        unplaced=unplaced[["pair_id", "cn_name_en", "cn_province_en", "partner_name_en", "partner_country_iso3",
                           "reason"]],
        comparable=int(comparable(df).sum()),
    )


def comparable(df: pd.DataFrame) -> pd.Series:
    """Rows counted the way the official figures count: standing ties, formal or of unknown type."""
    status = df["status"] if "status" in df.columns else pd.Series("active", index=df.index)
    return status.isin(("active", "")) & df["tie_type"].isin(("formal", "unknown"))


def _official_latest(totals: pd.DataFrame, scope: str) -> pd.DataFrame:
    rows = totals[(totals["scope"] == scope) & (totals["pairs"] != "")].sort_values(["key", "date"])
    latest = rows.groupby("key").tail(1).set_index("key")
    return pd.DataFrame({"official": pd.to_numeric(latest["pairs"], errors="coerce"),
                         "official_date": latest["date"], "official_source": latest["source_outlet"]})


def _table(df: pd.DataFrame, by: str, totals: pd.DataFrame, scope: str) -> pd.DataFrame:
    ok = comparable(df)
    keys = df[by]
    out = pd.DataFrame({
        "ours_all": keys[keys != ""].value_counts(),
        "ours": keys[ok & (keys != "")].value_counts(),
        "ours_formal": keys[(df["tie_type"] == "formal") & ok & (keys != "")].value_counts(),
        "ours_dated": keys[ok & df["established"].ne("") & (keys != "")].value_counts(),
    }).fillna(0).astype(int)
    official = _official_latest(totals, scope)
    out = out.join(official, how="outer")
    for col in ("ours_all", "ours", "ours_formal", "ours_dated"):
        out[col] = out[col].fillna(0).astype(int)
    out["official_date"] = out["official_date"].fillna("")
    out["official_source"] = out["official_source"].fillna("")
    out["gap"] = (out["official"] - out["ours"]).astype("Int64")
    out["rank_ours"] = out["ours"].rank(ascending=False, method="min").astype(int)
    out["rank_official"] = out["official"].rank(ascending=False, method="min").astype("Int64")
    out.index.name = by
    return out.reset_index()


def by_country(atlas: Atlas) -> pd.DataFrame:
    """Per partner country: ours (comparable, all, formal, dated) beside the latest official figure, the gap
    (official − ours) and both ranks; sorted by our count. Country names in both languages."""
    out = _table(atlas.pairings, "partner_country_iso3", atlas.official_totals, "country")
    names = atlas.countries.set_index("iso3")
    out.insert(1, "name_en", names["name_en"].reindex(out["partner_country_iso3"]).fillna("").to_numpy())
    out.insert(2, "name_zh", names["name_zh"].reindex(out["partner_country_iso3"]).fillna("").to_numpy())
    out = out.rename(columns={"partner_country_iso3": "iso3"})
    return out.sort_values(["ours", "iso3"], ascending=[False, True]).reset_index(drop=True)


def by_province(atlas: Atlas) -> pd.DataFrame:
    """Per Chinese province: ours beside the latest official provincial figure (where one is published), the
    gap and both ranks; every one of the 31 provinces is listed."""
    out = _table(atlas.pairings, "cn_province_en", atlas.official_totals, "province")
    provinces = atlas.provinces.set_index("province_en")
    out = out.rename(columns={"cn_province_en": "province_en"})
    out = out.set_index("province_en").reindex(sorted(set(out["province_en"]) | set(provinces.index)))
    for col in ("ours_all", "ours", "ours_formal", "ours_dated"):
        out[col] = out[col].fillna(0).astype(int)
    out["official_date"] = out["official_date"].fillna("")
    out["official_source"] = out["official_source"].fillna("")
    out["rank_ours"] = out["ours"].rank(ascending=False, method="min").astype(int)
    out.insert(0, "province_zh", provinces["province_zh"].reindex(out.index).fillna("").to_numpy())
    return out.reset_index().sort_values(["ours", "province_en"], ascending=[False, True]).reset_index(drop=True)


# --- Display helpers (the rankings page) --------------------------------------------------------------------------

# The two orders first, then the counts and the gap, then where the official figure comes from.
COMPARISON_COLUMNS = ["name", "rank_official", "rank_ours", "official", "ours", "gap", "gap_note", "ours_all",
                      "official_date", "official_source"]


def gap_note(gap: object, lang: str) -> str:
    """The gap in words: how many we lack, or how many more we hold than the official figure."""
    from geo.i18n import t

    if gap is None or pd.isna(gap):  # type: ignore[call-overload]
        return t("cov_gap_none", lang)
    n = int(gap)  # type: ignore[call-overload]
    if n > 0:
        return t("cov_gap_missing", lang, n=f"{n:,}")
    if n < 0:
        return t("cov_gap_more", lang, n=f"{-n:,}")
    return t("cov_gap_equal", lang)


def comparison(table: pd.DataFrame, lang: str, *, official_only: bool = True, by: str = "official") -> pd.DataFrame:
    """`by_country` or `by_province` as the rankings page shows it: the name in the language, ours beside the
    official figure with its date and source, the gap as a number and in words, both ranks; only the rows with an
    official figure unless `official_only` is False; in official order (`by="official"`) or ours."""
    out = table.copy()
    zh, en = ("name_zh", "name_en") if "name_en" in out else ("province_zh", "province_en")
    first, second = (zh, en) if lang == "zh" else (en, zh)
    out["name"] = out[first].where(out[first].fillna("") != "", out[second])
    if official_only:
        out = out[out["official"].notna()]
    out["gap"] = (out["official"] - out["ours"]).astype("Int64")
    out["gap_note"] = [gap_note(g, lang) for g in out["gap"]]
    out["official"] = out["official"].astype("Int64")
    order = ["rank_official", "rank_ours"] if by == "official" else ["rank_ours", "rank_official"]
    out = out.sort_values([*order, "name"], na_position="last")
    return out[COMPARISON_COLUMNS].reset_index(drop=True)


def _format_table(t: pd.DataFrame, key: str, name: str, top: int | None) -> list[str]:
    rows = t.head(top) if top else t
    with_official = t[t["official"].notna()]
    rows = pd.concat([rows, with_official[~with_official[key].isin(rows[key])]])
    lines = [f"  {'':<4}{name:<28}{'ours':>6}{'all':>6}{'dated':>7}{'official':>10}{'gap':>6}  rank ours/official"]
    for r in rows.to_dict("records"):
        has = not pd.isna(r["official"])
        official = f"{int(r['official']):,}" if has else "–"
        gap = f"{int(r['official'] - r['ours']):,}" if has else ""
        rank_official = f"{int(r['rank_official'])}" if not pd.isna(r["rank_official"]) else "–"
        label = f"{r[key]} {r.get('name_en') or r.get('province_zh') or ''}"[:27]
        when = f" ({r['official_date']})" if has else ""
        lines.append(f"  {'':<4}{label:<28}{r['ours']:>6,}{r['ours_all']:>6,}{r['ours_dated']:>7,}{official:>10}"
                     f"{gap:>6}  {r['rank_ours']}/{rank_official}{when}")
    return lines


def format_tables(atlas: Atlas, top: int = 15) -> str:
    """Per-country (top `top` plus every country with an official figure) and per-province tables."""
    lines = ["", "per partner country (ours = standing formal or unknown-type ties; gap = official − ours):"]
    lines += _format_table(by_country(atlas), "iso3", "country", top)
    lines += ["", "per Chinese province (official provincial figures where published):"]
    lines += _format_table(by_province(atlas), "province_en", "province", None)
    return "\n".join(lines)


def format_report(c: Coverage, list_unplaced: bool = True) -> str:
    lines = [
        f"pairings:            {c.pairings:,}",
        f"partner countries:   {c.countries}",
        f"Chinese provinces:   {c.provinces}",
        f"dated:               {c.dated:,} ({c.dated_share:.1%})",
        f"placed on the map:   {c.placed:,} ({c.placed_share:.1%})",
    ]
    if c.official_pairs:
        lines.append(f"official total:      {c.official_pairs:,} pairs, {c.official_countries} countries "
                     f"({c.official_date}; {c.official_source})")
        lines.append(f"coverage vs official: {c.official_share:.1%} of pairs, "
                     f"{c.countries / c.official_countries:.1%} of countries" if c.official_countries else "")
        lines.append(f"comparable ties:     {c.comparable:,} standing, formal or of unknown type "
                     f"({c.comparable / c.official_pairs:.1%} of the official count; exchange, approved-only and "
                     f"ended ties left out)")
    lines.append(f"not placed:          {len(c.unplaced)}")
    if list_unplaced:
        for row in c.unplaced.itertuples():
            lines.append(f"  {row.pair_id!s}  {row.cn_name_en!s} ({row.cn_province_en or '?'!s}) — "
                         f"{row.partner_name_en!s}, {row.partner_country_iso3!s}: {row.reason!s}")
    return "\n".join(line for line in lines if line)


README_BEGIN, README_END = "<!-- coverage:begin -->", "<!-- coverage:end -->"


def _md_rows(table: pd.DataFrame, key: str) -> list[str]:
    rows = []
    for r in table.to_dict("records"):
        gap = int(r["official"] - r["ours"])
        name = r.get("name_en") or r[key]
        gap_text = f"{gap:,}".replace("-", "−")  # a true minus sign: we hold more than the official figure
        rows.append(f"| {name} | {r['ours']:,} | {int(r['official']):,} ({r['official_date']}) | {gap_text} | "
                    f"{r['rank_ours']} / {int(r['rank_official'])} |")
    return rows


def readme_block(atlas: Atlas) -> str:
    """The README's coverage paragraph and tables, made from the data so the README cannot fall behind it."""
    c = coverage(atlas)
    if not c.official_pairs:
        raise ValueError("no national official total in official_totals.csv to compare with")
    df = atlas.pairings
    states = df.loc[(df["partner_level"] == "state") & comparable(df), ["partner_country_iso3", "partner_place_id",
                                                                          "partner_name_en"]]
    since = int((df["year"] >= 2013).sum())
    lines = [
        f"`python -m geo.coverage` (data up to {data_month(atlas)}): {c.pairings:,} pairings with "
        f"{c.countries} partner countries and all {c.provinces} provinces; {c.dated:,} ({c.dated_share:.1%}) have a "
        f"sourced date ({since:,} of them signed in 2013 or later); {c.placed:,} ({c.placed_share:.1%}) are placed "
        f"on the map, the other {len(c.unplaced)} are listed with the reason. {c.comparable:,} are comparable with "
        f"the official count (standing, formal or of unknown type; friendly-exchange, approved-only and ended ties "
        f"left out): {c.comparable / c.official_pairs:.0%} of the {c.official_pairs:,} pairings with "
        f"{c.official_countries} countries in the CPAFFC registry ({c.official_date}). "
        f"{states['partner_name_en'].nunique():,} foreign first-level units (states, prefectures, provinces) take "
        "part in comparable ties, against 619 in the registry. Per country and per province where an official "
        "figure is published (ours = comparable ties; gap = official − ours):",
        "",
        "| country | ours | official (date) | gap | rank ours / official |",
        "| --- | ---: | ---: | ---: | --- |",
        *_md_rows(by_country(atlas).dropna(subset=["official"]).sort_values("rank_official"), "iso3"),
        "",
        "| province | ours | official (date) | gap | rank ours / official |",
        "| --- | ---: | ---: | ---: | --- |",
        *_md_rows(by_province(atlas).dropna(subset=["official"]).sort_values("rank_official"), "province_en"),
    ]
    return "\n".join(lines)


def data_month(atlas: Atlas) -> str:
    """The month of the newest dated pairing, as 'YYYY-MM'."""
    dated = atlas.pairings.loc[atlas.pairings["established"] != "", "established"]
    return str(dated.max())[:7] if len(dated) else ""


def write_readme(path: Path, block: str) -> bool:
    """Put `block` between the README's coverage markers; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(README_BEGIN) + len(README_BEGIN), text.index(README_END)
    new = text[:start] + "\n" + block + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="figures only, without the unplaced list")
    parser.add_argument("--readme", action="store_true", help="rewrite the README's coverage block from the data")
    args = parser.parse_args(argv)
    atlas = load_atlas()
    if args.readme:
        changed = write_readme(paths.ROOT / "README.md", readme_block(atlas))
        print("README.md coverage block " + ("updated" if changed else "already current"))
        return
    print(format_report(coverage(atlas), list_unplaced=False))
    print(format_tables(atlas))
    if not args.summary:
        print(format_report(coverage(atlas), list_unplaced=True).split("not placed:", 1)[1].join(["\nnot placed:", ""]))


if __name__ == "__main__":
    main()
