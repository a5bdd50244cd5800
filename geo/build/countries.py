"""Build data/countries.csv: ISO codes, names in Chinese and English (CLDR via babel), UN M49 regions.

Names come from CLDR (babel), regions from the UN M49 classification as shipped by `country_converter`.
Both are build-time tools; the app reads only the CSV.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pycountry
from babel import Locale

from geo import paths

# UN M49 continent codes; CLDR (babel) has their names in both languages.
_CONTINENT_CODES = {"Africa": "002", "Americas": "019", "Asia": "142", "Europe": "150", "Oceania": "009"}

# country_converter's sub-region labels that differ from CLDR's English names for the same M49 code.
_SUBREGION_ALIASES = {"South-eastern Asia": "035", "Australia and New Zealand": "053"}
# Taiwan, Hong Kong and Macao are parts of China in the official position the map follows, never partners.
_NOT_FOREIGN = {"TWN", "HKG", "MAC"}
# CLDR's short name "Palestinian Territories" is not the name China uses for a state it recognises.
_NAME_OVERRIDES = {"PSE": ("Palestine", "巴勒斯坦")}
_AMERICAS_SUBREGIONS = {"Caribbean", "Central America", "South America", "Northern America"}


@lru_cache(maxsize=1)
def _coco_table() -> list[dict[str, str]]:
    import country_converter

    tsv = Path(country_converter.__file__).with_name("country_data.tsv")
    # Read as plain text: pandas would turn Namibia's ISO2 "NA" into a missing value.
    with tsv.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _m49_code_by_english_name() -> dict[str, str]:
    en = Locale("en")
    codes = {name: code for code, name in en.territories.items() if code.isdigit()}
    codes.update(_SUBREGION_ALIASES)
    return codes


def country_rows() -> list[dict[str, str]]:
    """One row per ISO 3166 country that CLDR names, with M49 continent and sub-region."""
    en, zh = Locale("en"), Locale("zh")
    m49 = _m49_code_by_english_name()
    rows = []
    for rec in _coco_table():
        iso3, subregion = rec["ISO3"], rec["UNregion"]
        # country_converter writes some ISO2 codes as patterns (^GB$|^UK$); pycountry has the plain code.
        country = pycountry.countries.get(alpha_3=iso3)
        iso2 = country.alpha_2 if country else ""
        if not iso2 or iso2 not in en.territories or rec.get("obsolete"):
            continue
        if not subregion or iso3 in _NOT_FOREIGN:
            continue
        continent = "Americas" if subregion in _AMERICAS_SUBREGIONS else rec["continent"]
        cont_code = _CONTINENT_CODES.get(continent, "")
        sub_code = m49.get(subregion, "")
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name_en": _NAME_OVERRIDES.get(iso3, (en.territories[iso2],))[0],
                "name_zh": _NAME_OVERRIDES.get(iso3, ("", zh.territories.get(iso2, "")))[1],
                "continent": cont_code,
                "continent_en": en.territories.get(cont_code, ""),
                "continent_zh": zh.territories.get(cont_code, ""),
                "subregion": sub_code,
                "subregion_en": en.territories.get(sub_code, subregion),
                "subregion_zh": zh.territories.get(sub_code, ""),
            }
        )
    rows.sort(key=lambda r: r["iso3"])
    return rows


@lru_cache(maxsize=1)
def _name_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rec["regex"], re.IGNORECASE), rec["ISO3"]) for rec in _coco_table() if rec["regex"]]


# Spellings in the raw lists that country_converter's patterns do not catch.
_EXTRA_COUNTRY_NAMES = {"dr congo": "COD", "congo": "COG", "palestine": "PSE", "ivory coast": "CIV"}


def iso3_for_country_name(name: str) -> str | None:
    """Resolve an English country name as written in the raw lists to ISO3, or None."""
    key = name.strip().lower()
    if key in _EXTRA_COUNTRY_NAMES:
        return _EXTRA_COUNTRY_NAMES[key]
    hits = {iso3 for pattern, iso3 in _name_patterns() if pattern.search(name)}
    return hits.pop() if len(hits) == 1 else None


def write_countries(path: Path = paths.COUNTRIES) -> int:
    rows = country_rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"countries: {write_countries()} rows -> {paths.COUNTRIES}")
