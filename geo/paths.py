"""Every file path the project reads or writes, in one place."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ATLAS_DATA_DIR points the app at another complete data folder (e.g. the benchmark's synthetic data, see
# geo/synthetic.py) without touching data/; the build's inputs stay in data/raw/ whatever it says.
DATA = Path(os.environ.get("ATLAS_DATA_DIR") or ROOT / "data")
RAW = ROOT / "data" / "raw"
WEB = Path(__file__).resolve().parent / "web"

PAIRINGS = DATA / "pairings.csv"
PAIR_ALIASES = DATA / "pair_aliases.csv"
PLACES = DATA / "places.csv"
COUNTRIES = DATA / "countries.csv"
PROVINCES = DATA / "provinces.csv"
ERAS = DATA / "eras.csv"
BRI_COUNTRIES = DATA / "bri_countries.csv"
OFFICIAL_TOTALS = DATA / "official_totals.csv"
CASES = DATA / "cases.yaml"
LENSES = DATA / "lenses.yaml"
AFFINITY_RULES = DATA / "affinity_rules.yaml"
AFFINITY_OVERRIDES = DATA / "affinity_overrides.csv"
SOURCES_MD = DATA / "SOURCES.md"
DATE_SOURCES = DATA / "DATE_SOURCES.md"

BASEMAP = WEB / "atlas_map" / "basemap.json"
COMPONENT_DIR = WEB / "atlas_map"
LEAFLET_DIR = COMPONENT_DIR / "leaflet"

RAW_CANDIDATES = RAW / "pairs_wikipedia_candidate.csv"
RAW_DATED = RAW / "pairs_dated_research.csv"
RAW_PLACE_FIXES = RAW / "place_fixes.csv"
RAW_NAME_FIXES = RAW / "name_fixes.csv"

# Basemap inputs (raw, committed) and the country anchor points built from them.
RAW_NATURAL_EARTH = RAW / "natural_earth"
RAW_WORLD_ZH = RAW_NATURAL_EARTH / "world.zh.json"
RAW_NE10_ATTRIBUTES = RAW_NATURAL_EARTH / "ne_10m_admin_0_countries_deu.dbf"
RAW_ECHARTS_CHINA = RAW / "echarts_china.json"
COUNTRY_POINTS = DATA / "country_points.csv"
