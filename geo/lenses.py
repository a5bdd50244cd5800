"""The book's comparative chapters (ch. 5–11) as lenses: each names its partner countries, and figures are computed
from the pairings for that region alone.

Membership is data (data/lenses.yaml) with its basis: explicit member lists with years of accession (EU, BRICS,
ASEAN) or UN M49 sub-regions (Central Asia, Western Asia, Latin America, sub-Saharan Africa).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from geo import paths
from geo._validate import AtlasDataError
from geo.i18n import t
from geo.names import loose
from geo.stats import BRI_START_YEAR

_REQUIRED = ("id", "chapter", "page", "title_zh", "title_en", "basis_zh", "basis_en", "source_outlet")


@dataclass(frozen=True)
class Lens:
    id: str
    chapter: int
    page: int
    title_zh: str
    title_en: str
    basis_zh: str
    basis_en: str
    source_outlet: str
    members: tuple[tuple[str, int | None], ...]  # (iso3, year of joining or None), sorted by code
    source_url: str = ""
    part_zh: str = ""
    part_en: str = ""
    level_focus: str = ""
    highlight: tuple[tuple[str, str], ...] = ()  # (English name, Chinese name) of units the chapter singles out
    short_zh: str = ""
    short_en: str = ""

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(iso3 for iso3, _ in self.members)

    def short(self, lang: str) -> str:
        """The lens's short name: '日本' / 'Japan' (the part of ch. 11, else the title before its colon)."""
        own = self.short_zh if lang == "zh" else self.short_en
        part = self.part_zh if lang == "zh" else self.part_en
        title = self.title_zh if lang == "zh" else self.title_en
        return own or part or title.split("：")[0].split(":")[0]

    def label(self, lang: str) -> str:
        """'第7章 日本' / 'Ch. 7 Japan': how the sidebar, links and export captions name the lens."""
        return t("lens_label", lang, chapter=self.chapter, name=self.short(lang))

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def basis(self, lang: str) -> str:
        return self.basis_zh if lang == "zh" else self.basis_en


def _since(file: str, lens_id: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value)
    if not (text[:4].isdigit() and len(text) >= 4):
        raise AtlasDataError(file, f"lens {lens_id!r}: 'since' {text!r} is not a year", column="members")
    return int(text[:4])


def load_lenses(path: Path, countries: pd.DataFrame) -> list[Lens]:
    """Read and check data/lenses.yaml; M49 sub-regions are resolved to countries through `countries`."""
    file = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AtlasDataError(file, f"cannot read lenses: {exc}") from None
    if not isinstance(doc, list):
        raise AtlasDataError(file, "expected a list of lenses")
    known = set(countries["iso3"])
    by_subregion = countries.groupby("subregion")["iso3"].apply(list).to_dict()
    lenses: list[Lens] = []
    seen: set[str] = set()
    for n, raw in enumerate(doc, start=1):
        if not isinstance(raw, dict):
            raise AtlasDataError(file, f"lens #{n} is not a mapping")
        for key in _REQUIRED:
            if not raw.get(key):
                raise AtlasDataError(file, f"lens #{n} lacks '{key}'", column=key)
        lens_id = str(raw["id"])
        if lens_id in seen:
            raise AtlasDataError(file, f"lens id {lens_id!r} repeated", column="id")
        seen.add(lens_id)
        members: dict[str, int | None] = {}
        for m in raw.get("members") or []:
            iso3 = str(m.get("iso3", ""))
            if iso3 not in known:
                raise AtlasDataError(file, f"lens {lens_id!r}: country {iso3!r} is not in countries.csv",
                                     column="members")
            members[iso3] = _since(file, lens_id, m.get("since"))
        for code in raw.get("m49") or []:
            if str(code) not in by_subregion:
                raise AtlasDataError(file, f"lens {lens_id!r}: M49 sub-region {code!r} unknown", column="m49")
            for iso3 in by_subregion[str(code)]:
                members.setdefault(iso3, None)
        members.pop("CHN", None)  # China's own cities are never partners
        if not members:
            raise AtlasDataError(file, f"lens {lens_id!r} has no member countries", column="members")
        highlight = tuple((str(h["name_en"]), str(h.get("name_zh", ""))) for h in raw.get("highlight") or [])
        lenses.append(Lens(
            id=lens_id, chapter=int(raw["chapter"]), page=int(raw["page"]), title_zh=str(raw["title_zh"]),
            title_en=str(raw["title_en"]), basis_zh=str(raw["basis_zh"]), basis_en=str(raw["basis_en"]),
            source_outlet=str(raw["source_outlet"]), members=tuple(sorted(members.items())),
            source_url=str(raw.get("source_url", "")), part_zh=str(raw.get("part_zh", "")),
            part_en=str(raw.get("part_en", "")), level_focus=str(raw.get("level_focus", "")), highlight=highlight,
            short_zh=str(raw.get("short_zh", "")), short_en=str(raw.get("short_en", "")),
        ))
    return sorted(lenses, key=lambda lens: lens.chapter)  # stable: a chapter's parts keep the file's order


@cache
def book_lenses() -> dict[str, Lens]:
    """The book's lenses (data/lenses.yaml, with the embedded countries for M49 sub-regions), by id, in chapter
    order; loaded once: they belong to the book, not to a dataset a user imports."""
    from geo.load import read_table

    countries = read_table(paths.COUNTRIES, ["iso3", "subregion"])
    return {lens.id: lens for lens in load_lenses(paths.LENSES, countries)}


def get(lens_id: str) -> Lens:
    """The book's lens `lens_id`; ValueError for an id that is not one."""
    lenses = book_lenses()
    if lens_id not in lenses:
        raise ValueError(f"no chapter lens {lens_id!r}; known: {', '.join(lenses)}")
    return lenses[lens_id]


def lens_mask(df: pd.DataFrame, lens: Lens) -> pd.Series:
    """Which pairings have a partner in the lens's countries."""
    return df["partner_country_iso3"].isin(lens.countries)


def highlight_mask(df: pd.DataFrame, lens: Lens) -> pd.Series:
    """Pairings whose partner is one of the units the chapter singles out (e.g. Tokyo, Hokkaido, Niigata), matched
    by loose English name or by the Chinese name's stem, within the lens's countries."""
    if not lens.highlight:
        return pd.Series(False, index=df.index)
    names_en = {loose(en) for en, _ in lens.highlight}
    stems_zh = tuple(zh for _, zh in lens.highlight if zh)
    by_en = df["partner_name_en"].map(loose).isin(names_en)
    by_zh = df["partner_name_zh"].str.startswith(stems_zh) if stems_zh else False
    return lens_mask(df, lens) & (by_en | by_zh)


@dataclass(frozen=True)
class LensFigures:
    """What the panel of a lens states, all computed from the pairings (the whole dataset's, not a filtered view)."""

    pairings: int
    share_of_dataset: float
    member_countries: int
    countries_with_ties: int
    dated: int
    since_2013: int
    focus_level: int  # pairings at the level the chapter is about (`level_focus`), or 0 when it names none
    by_level: pd.DataFrame  # level_class, pairings
    by_era: pd.DataFrame  # era_id, pairings
    top_provinces: pd.DataFrame  # cn_province_en, cn_province_zh, pairings
    top_partners: pd.DataFrame  # partner_name_en, partner_name_zh, partner_country_iso3, pairings
    by_country: pd.DataFrame  # partner_country_iso3, since (year joined), pairings
    first: pd.DataFrame  # the earliest dated pairing(s)
    highlighted: pd.DataFrame

    @property
    def since_2013_share(self) -> float:
        """Share of the dated pairings signed in 2013 or later."""
        return self.since_2013 / self.dated if self.dated else 0.0

    @property
    def before_2013(self) -> int:
        return self.dated - self.since_2013

    @property
    def growth_since_2013(self) -> float | None:
        """Dated pairings signed since 2013 as a share of those dated before (None when none is dated before)."""
        return self.since_2013 / self.before_2013 if self.before_2013 else None


def _counts(df: pd.DataFrame, by: list[str], top: int | None = None) -> pd.DataFrame:
    out = df.groupby(by, dropna=False).size().rename("pairings").reset_index()
    out = out.sort_values(["pairings", *by], ascending=[False, *[True] * len(by)]).reset_index(drop=True)
    return out.head(top) if top else out


def figures(pairings: pd.DataFrame, lens: Lens, top: int = 5) -> LensFigures:
    """The lens's figures from the enriched pairings table (as `geo.load.Atlas.pairings`)."""
    df = pairings[lens_mask(pairings, lens)]
    dated = df[df["year"].notna()]
    by_country = _counts(df, ["partner_country_iso3"])
    joined = dict(lens.members)
    all_members = pd.DataFrame({"partner_country_iso3": list(joined)})
    by_country = all_members.merge(by_country, how="left", on="partner_country_iso3").fillna({"pairings": 0})
    by_country["pairings"] = by_country["pairings"].astype(int)
    by_country["since"] = by_country["partner_country_iso3"].map(joined).astype("Int64")
    by_country = by_country.sort_values(["pairings", "partner_country_iso3"], ascending=[False, True])
    first_year = dated["year"].min() if len(dated) else None
    first = dated[dated["year"] == first_year].sort_values("established") if first_year is not None else dated
    return LensFigures(
        pairings=len(df),
        share_of_dataset=len(df) / len(pairings) if len(pairings) else 0.0,
        member_countries=len(lens.members),
        countries_with_ties=int(df["partner_country_iso3"].nunique()),
        dated=len(dated),
        since_2013=int((dated["year"] >= BRI_START_YEAR).sum()),
        focus_level=int((df["level_class"] == lens.level_focus).sum()) if lens.level_focus else 0,
        by_level=_counts(df, ["level_class"]),
        by_era=_counts(df, ["era_id"]),
        top_provinces=_counts(df[df["cn_province_en"] != ""], ["cn_province_en", "cn_province_zh"], top),
        top_partners=_counts(df, ["partner_name_en", "partner_name_zh", "partner_country_iso3"], top),
        by_country=by_country.reset_index(drop=True),
        first=first.head(3),
        highlighted=df[highlight_mask(df, lens)],
    )
