"""Regions a pairing belongs to: partner continent and UN sub-region, Belt and Road group, Chinese macro-region.

Country names and UN M49 regions come from CLDR and country_converter through data/countries.csv (built by
`geo.build.countries`); the Belt and Road grouping is a small sourced table, data/bri_countries.csv.
"""

from __future__ import annotations

import pandas as pd

MACRO_REGIONS = {
    "east": ("东部", "East"),
    "central": ("中部", "Central"),
    "west": ("西部", "West"),
    "northeast": ("东北", "Northeast"),
}

# How the Chinese side's level groups pairings for the level filter.
LEVEL_CLASSES = {
    "province_state": ("省州级", "Province–state"),
    "city_city": ("城市级", "City–city"),
    "county": ("县区级", "County and district"),
}
_LEVEL_CLASS_OF_CN_LEVEL = {"province": "province_state", "prefecture": "city_city",
                            "county": "county", "district": "county"}

NOT_BRI = "none"


def level_class(cn_level: pd.Series) -> pd.Series:
    return cn_level.map(_LEVEL_CLASS_OF_CN_LEVEL).fillna("city_city")


def label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table.get(key, (key, key))
    return zh if lang == "zh" else en
