"""The shape of the dataset, defined once: the columns of each table and the values a coded column may take.

The build writes these columns, the loader and the importers check them, and the exports name them; nothing else
spells them out again.
"""

from __future__ import annotations

# pairings.csv, in the order the build writes them.
PAIRING_COLUMNS = [
    "pair_id", "cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "cn_level", "cn_place_id",
    "partner_name_en", "partner_name_zh", "partner_country_iso3", "partner_level", "partner_place_id",
    "established", "date_source", "date_note", "tie_type", "tie_basis", "status", "status_date", "status_source",
    "source", "note",
]
# What a pairings file must have to be read at all; the other columns default to empty (status to "active").
PAIRING_REQUIRED = [
    "pair_id", "cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "cn_level", "cn_place_id",
    "partner_name_en", "partner_name_zh", "partner_country_iso3", "partner_level", "partner_place_id",
    "established", "date_source", "tie_type", "source",
]
PAIRING_OPTIONAL_DEFAULTS = {"date_note": "", "tie_basis": "", "status": "active", "status_date": "",
                             "status_source": "", "note": ""}

PLACE_COLUMNS = ["place_id", "side", "name_en", "name_zh", "country_iso3", "province_en", "lat", "lon",
                 "precision", "geonames_id", "note"]
PLACE_REQUIRED = ["place_id", "side", "name_en", "name_zh", "country_iso3", "lat", "lon", "precision"]

CN_LEVELS = ("province", "prefecture", "county", "district")
PARTNER_LEVELS = ("state", "city", "county", "unknown")

# What kind of tie a pairing is, from the evidence: a signed friendship agreement; a looser friendly-exchange or
# cooperation tie; approved by the national association but not yet signed; a letter of intent; or not known
# (e.g. a row known only from English Wikipedia's lists, which mix all of these).
TIE_TYPES = ("formal", "exchange", "approved", "intent", "unknown")
# Whether the tie still stands, as far as a source says; "active" unless a source reports an end or a freeze.
STATUSES = ("active", "suspended", "terminated")
