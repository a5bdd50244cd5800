"""`python -m geo.coverage`: how complete the embedded dataset is, against the latest official totals.

Prints pairings, countries, provinces, the share dated and placed, the official comparison, and every pairing
that cannot be placed (with the reason), so nothing is dropped silently. The same figures are returned by
`coverage()` for the app.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import pandas as pd

from geo import stats
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
    )


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
    lines.append(f"not placed:          {len(c.unplaced)}")
    if list_unplaced:
        for row in c.unplaced.itertuples():
            lines.append(f"  {row.pair_id!s}  {row.cn_name_en!s} ({row.cn_province_en or '?'!s}) — "
                         f"{row.partner_name_en!s}, {row.partner_country_iso3!s}: {row.reason!s}")
    return "\n".join(line for line in lines if line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="figures only, without the unplaced list")
    args = parser.parse_args(argv)
    print(format_report(coverage(load_atlas()), list_unplaced=not args.summary))


if __name__ == "__main__":
    main()
