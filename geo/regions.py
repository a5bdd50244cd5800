"""Regions a pairing belongs to: partner continent and UN sub-region, Belt and Road group, Chinese macro-region.

Country names and UN M49 regions come from CLDR and country_converter through data/countries.csv (built by
`geo.build.countries`); the Belt and Road grouping is a small sourced table, data/bri_countries.csv.
"""

from __future__ import annotations

import pandas as pd

# China's four macro-regions (names in the interface catalogue, keys macro_<id>).
MACRO_REGIONS = ("east", "central", "west", "northeast")

# How the Chinese side's level groups pairings for the level filter (names: keys level_<id>).
LEVEL_CLASSES = ("province_state", "city_city", "county")
_LEVEL_CLASS_OF_CN_LEVEL = {"province": "province_state", "prefecture": "city_city",
                            "county": "county", "district": "county"}

NOT_BRI = "none"


def level_class(cn_level: pd.Series) -> pd.Series:
    return cn_level.map(_LEVEL_CLASS_OF_CN_LEVEL).fillna("city_city")
