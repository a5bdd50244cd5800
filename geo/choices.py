"""The names of the values each filter offers, in each language, and which values depend on others.

One table (`_NAMERS`) from each multi-choice field of `Filters` to how its values are named, used by the sidebar,
the filter summary on exports and the messages that name a filter; adding a filter adds one row here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from geo.find import sort_key
from geo.i18n import era_labels, label, pick, t
from geo.load import Atlas


def _pairs(df: pd.DataFrame, key: str, base: str, lang: str) -> dict[str, str]:
    """Value of `key` -> its name in `lang` from the `base`_zh/_en columns (first non-empty per value)."""
    out: dict[str, str] = {}
    columns = list(dict.fromkeys([key, f"{base}_zh", f"{base}_en"]))
    for row in df[columns].drop_duplicates(key).to_dict("records"):
        if row[key]:
            out[str(row[key])] = pick(row, base, lang) or str(row[key])
    return out


def _bri(atlas: Atlas, lang: str) -> dict[str, str]:
    names = _pairs(atlas.bri.rename(columns={"bri_group": "g"}), "g", "group", lang)
    return {**names, "none": t("bri_none", lang)}


def _lenses(lang: str) -> dict[str, str]:
    from geo.lenses import book_lenses

    return {lens_id: lens.label(lang) for lens_id, lens in book_lenses().items()}


def _networks(lang: str) -> dict[str, str]:
    from geo.networks import book_networks

    return book_networks().names(lang)


def _coded(kind: str) -> Callable[[Atlas, str], dict[str, str]]:
    from geo.affinity import AFFINITIES
    from geo.regions import LEVEL_CLASSES, MACRO_REGIONS

    values = {"affinity": AFFINITIES, "macro": MACRO_REGIONS, "level": LEVEL_CLASSES}[kind]
    return lambda atlas, lang: {v: label(kind, v, lang) for v in values}


_NAMERS: dict[str, Callable[[Atlas, str], dict[str, str]]] = {
    "eras": lambda atlas, lang: era_labels(atlas.eras.to_dict("records"), lang),
    "continents": lambda atlas, lang: _pairs(atlas.countries, "continent_en", "continent", lang),
    "subregions": lambda atlas, lang: _pairs(atlas.countries, "subregion_en", "subregion", lang),
    "bri_groups": _bri,
    "provinces": lambda atlas, lang: _pairs(atlas.provinces.assign(p=atlas.provinces["province_en"]), "p",
                                            "province", lang),
    "macro_regions": _coded("macro"),
    "levels": _coded("level"),
    "countries": lambda atlas, lang: _pairs(atlas.countries.assign(c=atlas.countries["iso3"]), "c", "name", lang),
    "affinities": _coded("affinity"),
    "lens": lambda atlas, lang: _lenses(lang),
    "network": lambda atlas, lang: _networks(lang),
}
# The catalogue key naming each filter (its sidebar label).
FIELD_LABEL = {
    "eras": "era", "continents": "continent", "subregions": "subregion", "bri_groups": "bri_group",
    "provinces": "province", "macro_regions": "macro_region", "levels": "level", "countries": "country",
    "affinities": "affinity", "year_min": "years", "year_max": "years", "include_unknown": "include_unknown",
    "formal_only": "formal_only", "include_ended": "include_ended", "search": "search", "lens": "lens",
    "network": "network",
}


def option_labels(atlas: Atlas, field: str, lang: str) -> dict[str, str]:
    """Value -> name in `lang` for one multi-choice (or single-choice: lens, network) field of `Filters`."""
    return _NAMERS[field](atlas, lang)


def sorted_by_name(values: Iterable[str], names: dict[str, str], lang: str) -> list[str]:
    """Values in the order their names sort in `lang` (Chinese by pinyin)."""
    return sorted(values, key=lambda v: sort_key(names.get(v) or v, lang))


def subregions_of(atlas: Atlas, continents: Sequence[str], offered: Sequence[str]) -> list[str]:
    """The sub-regions among `offered` that lie in one of `continents` (all of them when none is chosen)."""
    if not continents:
        return list(offered)
    inside = set(atlas.countries.loc[atlas.countries["continent_en"].isin(continents), "subregion_en"])
    return [s for s in offered if s in inside]


def countries_of(atlas: Atlas, continents: Sequence[str], subregions: Sequence[str],
                 offered: Sequence[str]) -> list[str]:
    """The countries among `offered` inside the chosen continents and sub-regions (all when none is chosen)."""
    c = atlas.countries
    mask = pd.Series(True, index=c.index)
    if continents:
        mask &= c["continent_en"].isin(continents)
    if subregions:
        mask &= c["subregion_en"].isin(subregions)
    inside = set(c.loc[mask, "iso3"])
    return [x for x in offered if x in inside]
