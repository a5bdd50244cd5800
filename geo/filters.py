"""One frozen value for every filter the pages share, its URL form, and applying it to the pairings.

The URL is the single place a view is stored, so a bookmarked or shared link reproduces the view. A bad or
unknown URL value never raises: it is dropped, the default is used, and a `UrlProblem` says which key and value
(the UI words it and escapes the value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date

import pandas as pd

from geo.i18n import DEFAULT_LANG, LANGS

COLOR_BY = ("era", "level", "affinity")
MODES = ("arcs", "flow")
# Flow view settings (map and presentation): how pairings are grouped into flows, and the smallest flow drawn
# (0 = chosen so the view stays readable, see geo.mapview.auto_min_count).
FLOW_LEVELS = ("province", "macro", "continent")
MAX_FLOW_MIN = 100_000
FIRST_YEAR = 1973
MAX_SEARCH = 100


def current_year() -> int:
    """The last year a filter may reach. Computed on each call (never frozen at import), and used by both
    `Filters.year_max` and `Vocabulary.last_year`, so the two always agree, also across New Year."""
    return date.today().year


@dataclass(frozen=True)
class Vocabulary:
    """The values each multi-choice filter accepts, taken from the loaded dataset."""

    eras: tuple[str, ...]
    continents: tuple[str, ...]
    subregions: tuple[str, ...]
    bri_groups: tuple[str, ...]
    provinces: tuple[str, ...]
    macro_regions: tuple[str, ...]
    levels: tuple[str, ...]
    countries: tuple[str, ...]
    affinities: tuple[str, ...]
    last_year: int = field(default_factory=lambda: current_year())
    lenses: tuple[str, ...] = ()  # the book's chapter lenses (geo.lenses)
    networks: tuple[str, ...] = ()  # city networks (geo.networks)


@dataclass(frozen=True)
class Filters:
    lang: str = DEFAULT_LANG
    eras: tuple[str, ...] = ()
    year_min: int = FIRST_YEAR
    year_max: int = field(default_factory=lambda: current_year())
    include_unknown: bool = True
    continents: tuple[str, ...] = ()
    subregions: tuple[str, ...] = ()
    bri_groups: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    macro_regions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    affinities: tuple[str, ...] = ()
    formal_only: bool = False
    include_ended: bool = False
    lens: str = ""  # a chapter lens of the book: its partner countries only
    network: str = ""  # a city network: ties whose Chinese side is one of its member cities
    search: str = ""
    color_by: str = "era"
    mode: str = "arcs"
    flow_level: str = "province"
    flow_min: int = 0

    def view_only(self) -> Filters:
        """These view settings (language, colouring, view mode, flows) with every filter at its default: what a
        reset keeps."""
        return replace(Filters(), **{name: getattr(self, name) for name in VIEW_FIELDS})

    def is_default(self) -> bool:
        return self == self.view_only()


# URL key for each field; lists are comma-separated.
URL_KEYS = {
    "lang": "lang", "eras": "era", "year_min": "y0", "year_max": "y1", "include_unknown": "unk",
    "continents": "cont", "subregions": "sub", "bri_groups": "bri", "provinces": "prov", "macro_regions": "macro",
    "levels": "lvl", "countries": "ctry", "affinities": "aff", "formal_only": "formal", "include_ended": "ended",
    "lens": "lens", "network": "net", "search": "q", "color_by": "color", "mode": "mode",
    "flow_level": "flow", "flow_min": "fmin",
}
_LIST_VOCAB = {
    "eras": "eras", "continents": "continents", "subregions": "subregions", "bri_groups": "bri_groups",
    "provinces": "provinces", "macro_regions": "macro_regions", "levels": "levels", "countries": "countries",
    "affinities": "affinities",
}


def vocabulary(pairings: pd.DataFrame, eras: pd.DataFrame, bri_groups: Sequence[str],
               provinces: Sequence[str], countries: Sequence[str], lenses: Sequence[str] | None = None,
               networks: Sequence[str] | None = None) -> Vocabulary:
    """The values each filter accepts; the lenses and networks are the book's own unless given."""
    from geo.affinity import AFFINITIES
    from geo.lenses import book_lenses
    from geo.networks import book_networks
    from geo.regions import LEVEL_CLASSES, MACRO_REGIONS

    return Vocabulary(
        eras=tuple(eras["era_id"]) + ("unknown",),
        continents=tuple(sorted(c for c in pairings["continent_en"].unique() if c)),
        subregions=tuple(sorted(s for s in pairings["subregion_en"].unique() if s)),
        bri_groups=tuple(dict.fromkeys(bri_groups)) + ("none",),
        provinces=tuple(provinces),
        macro_regions=tuple(MACRO_REGIONS),
        levels=tuple(LEVEL_CLASSES),
        countries=tuple(countries),
        affinities=tuple(AFFINITIES),
        lenses=tuple(lenses if lenses is not None else book_lenses()),
        networks=tuple(networks if networks is not None else book_networks().ids),
    )


@dataclass(frozen=True)
class UrlProblem:
    """A URL parameter that was not used: a bad value (`value` given) or a key this app does not know."""

    key: str
    value: str
    unknown_key: bool = False


def _first(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return value[-1] if value else ""


def from_query(params: Mapping[str, str | Sequence[str]], vocab: Vocabulary,
               other_keys: Sequence[str] | None = None) -> tuple[Filters, list[UrlProblem]]:
    """Parse URL query parameters. Returns the filters and one problem per rejected value; with `other_keys`
    (the keys pages use for themselves), also one per key that is neither a filter nor one of those. Never
    raises."""
    raw = {k: _first(v)[:500] for k, v in params.items()}
    lang = raw.get("lang", DEFAULT_LANG)
    warnings: list[UrlProblem] = []
    if other_keys is not None:
        known = set(URL_KEYS.values()) | set(other_keys)
        warnings += [UrlProblem(k[:40], raw[k][:40], unknown_key=True) for k in raw if k not in known]
    if lang not in LANGS:
        warnings.append(UrlProblem("lang", lang))
        lang = DEFAULT_LANG

    def reject(key: str, value: str) -> None:
        warnings.append(UrlProblem(key, value))

    values: dict[str, object] = {"lang": lang}
    for name, key in URL_KEYS.items():
        if key not in raw or name == "lang":
            continue
        text = raw[key].strip()
        if name in _LIST_VOCAB:
            allowed = getattr(vocab, _LIST_VOCAB[name])
            lookup = {a.lower(): a for a in allowed}
            chosen = []
            for item in filter(None, (s.strip() for s in text.split(","))):
                if item.lower() in lookup:
                    chosen.append(lookup[item.lower()])
                else:
                    reject(key, item)
            values[name] = tuple(dict.fromkeys(chosen))
        elif name in ("year_min", "year_max"):
            if re.fullmatch(r"\d{4}", text) and FIRST_YEAR <= int(text) <= vocab.last_year:
                values[name] = int(text)
            else:
                reject(key, text)
        elif name in ("include_unknown", "formal_only", "include_ended"):
            if text in ("0", "1"):
                values[name] = text == "1"
            else:
                reject(key, text)
        elif name in ("lens", "network"):
            lookup = {a.lower(): a for a in getattr(vocab, {"lens": "lenses", "network": "networks"}[name])}
            if text.lower() in lookup:
                values[name] = lookup[text.lower()]
            elif text:
                reject(key, text)
        elif name == "search":
            values[name] = text[:MAX_SEARCH]
        elif name == "color_by":
            if text in COLOR_BY:
                values[name] = text
            else:
                reject(key, text)
        elif name == "mode":
            if text in MODES:
                values[name] = text
            else:
                reject(key, text)
        elif name == "flow_level":
            if text in FLOW_LEVELS:
                values[name] = text
            else:
                reject(key, text)
        elif name == "flow_min":
            if re.fullmatch(r"\d{1,6}", text) and int(text) <= MAX_FLOW_MIN:
                values[name] = int(text)
            else:
                reject(key, text)
    filters = Filters(**values)  # type: ignore[arg-type]
    if filters.year_min > filters.year_max:
        reject("y0", str(filters.year_min))
        filters = replace(filters, year_min=FIRST_YEAR, year_max=vocab.last_year)
    return filters, warnings


def to_query(filters: Filters) -> dict[str, str]:
    """The URL parameters for `filters`: only values that differ from the defaults."""
    default = Filters()
    out: dict[str, str] = {}
    for f in fields(Filters):
        value, base = getattr(filters, f.name), getattr(default, f.name)
        if value == base:
            continue
        key = URL_KEYS[f.name]
        if isinstance(value, tuple):
            out[key] = ",".join(value)
        elif isinstance(value, bool):
            out[key] = "1" if value else "0"
        else:
            out[key] = str(value)
    return out


def _search_mask(df: pd.DataFrame, text: str) -> pd.Series:
    needle = text.strip().lower()
    mask = pd.Series(False, index=df.index)
    for col in ("cn_name_en", "cn_name_zh", "partner_name_en", "partner_name_zh", "partner_country_en",
                "partner_country_zh", "cn_province_en", "cn_province_zh"):
        mask |= df[col].str.lower().str.contains(needle, regex=False, na=False)
    return mask


def _tag_sets_with(values: Iterable[object], chosen: Sequence[str]) -> list[str]:
    """The distinct ';'-joined tag lists among `values` that hold one of `chosen` (there are a few dozen such
    lists however many pairings there are, so each is split once rather than once per pairing)."""
    wanted = set(chosen)
    return [v for v in values if isinstance(v, str) and not wanted.isdisjoint(v.split(";"))]


def apply(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The pairings that pass every filter. Unknown years pass the year range only when `include_unknown` is
    set, and an era filter only when the "unknown" era is chosen; the figures say how many are dated. A chapter
    lens keeps its partner countries; a city network keeps the ties whose Chinese side is a member city."""
    mask = pd.Series(True, index=df.index)
    unknown = df["year"].isna()
    in_years = ~unknown & (df["year"] >= filters.year_min) & (df["year"] <= filters.year_max)
    mask &= in_years.fillna(False) | (unknown & filters.include_unknown)
    if filters.eras:
        # An era is a span of years: a pairing of unknown year belongs to none, unless "unknown" is chosen.
        mask &= df["era_id"].isin(set(filters.eras))
    for name, column in (("continents", "continent_en"), ("subregions", "subregion_en"),
                         ("bri_groups", "bri_group"), ("provinces", "cn_province_en"),
                         ("macro_regions", "macro_region"), ("levels", "level_class"),
                         ("countries", "partner_country_iso3")):
        chosen = getattr(filters, name)
        if chosen:
            mask &= df[column].isin(chosen)
    if filters.affinities:
        mask &= df["affinities"].isin(_tag_sets_with(df["affinities"].unique(), filters.affinities))
    if filters.lens:
        from geo import lenses

        mask &= lenses.lens_mask(df, lenses.get(filters.lens))
    if filters.network:
        from geo import networks

        mask &= networks.member_mask(df, networks.book_networks(), filters.network)
    if filters.formal_only:
        mask &= df["tie_type"] == "formal"
    if not filters.include_ended and "status" in df.columns:
        # Ended and suspended ties are history: shown only when asked for, and then drawn apart.
        mask &= df["status"].isin(("active", ""))
    if filters.search.strip():
        mask &= _search_mask(df, filters.search)
    return df[mask]


# Fields that say how the map is drawn (language, colouring, view mode, flow settings), not what is shown.
VIEW_FIELDS = ("lang", "color_by", "mode", "flow_level", "flow_min")
# Fields that choose what is shown.
FILTER_FIELDS = tuple(f.name for f in fields(Filters) if f.name not in VIEW_FIELDS)


def hiding(rows: pd.DataFrame, filters: Filters) -> list[str]:
    """The filter fields that keep `rows` out of view: each field whose reset alone lets a row through, or, when
    no single one does, every field that is not at its default. Empty if the rows pass."""
    if len(apply(rows, filters)) == len(rows):
        return []
    default = filters.view_only()
    active = [n for n in FILTER_FIELDS if getattr(filters, n) != getattr(default, n)]
    alone = [n for n in active if len(apply(rows, replace(filters, **{n: getattr(default, n)})))]
    return alone or active
