"""Build data/pairings.csv and data/places.csv from the immutable inputs in data/raw/.

Steps: read every input as claims (`geo.build.claims`); resolve each claim's Chinese unit (`Units`); place the
partners English sources name; group claims into ties and attach the Chinese lists' claims to them
(`geo.build.merge`); choose each field by the written precedence of sources, recording every disagreement
(data/CONFLICTS.md); place every end and check the places with geopandas (`geo.build.checks`: the build fails on a
point outside its country or a first-level unit away from its seat); write the tables sorted, so a rebuild is
byte-for-byte stable. Nothing is dropped: a pairing whose end cannot be placed keeps an empty place id and is listed.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo import paths
from geo.build import admin1, aliases, checks, reports
from geo.build.claims import (
    WIKI_EN,
    Claim,
    candidate_claims,
    load_class_rules,
    matched_list_claims,
    research_claims,
    research_style_claims,
    zhwiki_claims,
)
from geo.build.gazetteer import Gazetteer, GazetteerHit, gazetteer, pinyin_name
from geo.build.merge import (
    Conflict,
    Tie,
    ZhEvidence,
    choose_date,
    choose_names,
    choose_status,
    choose_tie_type,
    match_chinese_claims,
)
from geo.build.partners import simplified, zh_base, zh_norm, zh_split
from geo.names import fold, loose, strip_cn_suffix
from geo.schema import PAIRING_COLUMNS, PLACE_COLUMNS

_NOT_CHINESE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3040-\u30ff]")
MUNICIPALITIES = {"Beijing", "Tianjin", "Shanghai", "Chongqing"}
WIKI_SOURCE = WIKI_EN



def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def load_provinces() -> dict[str, dict[str, str]]:
    return {row["province_en"]: row for row in read_csv(paths.PROVINCES)}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass
class Unit:
    """A Chinese unit (province, prefecture, county or district) as resolved from its names."""

    key: str
    cn_name_zh: str
    cn_name_en: str
    cn_province_en: str
    cn_level: str
    parent_zh: str = ""
    at_parent: bool = False  # a district placed at its parent city's (or municipality's) point
    place: dict[str, str] | None = None
    problem: str = ""


# --- Chinese side -------------------------------------------------------------------------------------------

_PARENT_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<parent>[^)]+)\)$")


def normalise_cn_side(name_en: str, name_zh: str, province: str, level: str) -> tuple[str, str, str]:
    """Return (name_en, name_zh, level) with the list's faults repaired.

    The raw lists tag the four municipalities `city` although they are province-level, write districts as
    'Chaoyang (Beijing)', and use `city` for prefecture-level cities.
    """
    name_zh = re.sub(r"\(今.*?\)|（今.*?）", "", name_zh).strip()
    if name_en in MUNICIPALITIES or (level == "province"):
        return name_en, name_zh, "province"
    is_district = name_zh.endswith("区") or "District" in name_en
    if _PARENT_RE.match(name_en) and (name_zh.endswith("区") or level == "county"):
        is_district = is_district or name_zh.endswith("区")
    if is_district:
        return name_en, name_zh, "district"
    if level == "county" or name_zh.endswith(("县", "旗")):
        return name_en, name_zh, "county"
    return name_en, name_zh, "prefecture"


def _province_row(province_en: str, prov: dict[str, str]) -> dict[str, str]:
    """A province-level unit's place: its capital's point (data/provinces.csv)."""
    return {
        "place_id": f"cnprov:{province_en}", "side": "cn", "name_en": province_en, "name_zh": prov["province_zh"],
        "country_iso3": "CHN", "province_en": province_en, "lat": prov["lat"], "lon": prov["lon"],
        "precision": "province_capital", "geonames_id": "", "note": "province-level unit placed at its capital",
    }


def place_cn(gaz: Gazetteer, p: Unit, provinces: dict[str, dict[str, str]]) -> tuple[dict[str, str] | None, str]:
    """Place the Chinese side; returns (place row, problem)."""
    prov = provinces.get(p.cn_province_en)
    if prov is None:
        return None, f"unknown province {p.cn_province_en!r}"
    if p.cn_level == "province":
        return _province_row(p.cn_province_en, prov), ""
    m = _PARENT_RE.match(p.cn_name_en)
    bare_en = m.group("name") if m else p.cn_name_en
    bare_en = re.sub(r"\s+(\w+(\s+and\s+\w+)?\s+Autonomous\s+(County|Prefecture)|County|District|City|"
                     r"New District|Prefecture|League)$", "", bare_en)
    zh_forms = [p.cn_name_zh]
    if m and p.cn_name_zh:
        # '大连市金州区' names the district after its parent city; the gazetteer knows the district's own name.
        zh_forms.append(re.sub(r"^.+?市(?=.+[区县])", "", p.cn_name_zh))
    hit = None
    for form in zh_forms:
        hit = gaz.find_cn(form, "", p.cn_province_en)
        if hit:
            break
    if p.cn_level != "district":
        # A district is never looked up by its English name: 'Jinzhou' (金州, Dalian) would find Jinzhou (锦州).
        hit = hit or gaz.find_cn("", bare_en, p.cn_province_en)
    precision, note = "city", ""
    parent_hit = gaz.find_cn("", m.group("parent"), p.cn_province_en) if m else None
    if hit is not None and parent_hit is not None and _km(hit.lat, hit.lon, parent_hit.lat, parent_hit.lon) > 80:
        hit = None  # a namesake elsewhere in the province, not the district of this city
    if hit is None and p.cn_level == "district":
        parent_hit = parent_hit or (gaz.find_cn(p.parent_zh, "", p.cn_province_en) if p.parent_zh else None)
        if parent_hit is None and p.cn_province_en in MUNICIPALITIES:
            p.at_parent = True
            return _province_row(p.cn_province_en, prov), ""
        if parent_hit is not None:
            # The point is the parent city's own: the place row is the city; the pairing says the district is
            # placed there (see Unit.at_parent), so the city is never labelled by one of its districts.
            hit = parent_hit
            p.at_parent = True
    if hit is None:
        return _place_cn_from_table(gaz, p)
    return {
        "place_id": f"gn:{hit.geonameid}", "side": "cn",
        "name_en": hit.name if p.at_parent else gaz.own_name(hit, p.cn_name_zh, _parent_en(p), bare_en),
        "name_zh": "",
        "country_iso3": "CHN", "province_en": p.cn_province_en, "lat": f"{hit.lat:.4f}", "lon": f"{hit.lon:.4f}",
        "precision": precision, "geonames_id": str(hit.geonameid), "note": note,
    }, ""


def _parent_en(p: Unit) -> str:
    """The English name of a district's city, from 'Baoan (Shenzhen)' or from its city's Chinese name."""
    m = _PARENT_RE.match(p.cn_name_en)
    if m:
        return m.group("parent")
    return pinyin_name(strip_cn_suffix(p.parent_zh)) if p.parent_zh else ""


def cn_place_table() -> dict[tuple[str, str], dict[str, str]]:
    """data/raw/cn_places.csv: Chinese units the gazetteer lacks, with the city they are placed at."""
    return {(r["province_en"], strip_cn_suffix(r["name_zh"])): r for r in read_csv(paths.RAW / "cn_places.csv")}


def _place_cn_from_table(gaz: Gazetteer, p: Unit) -> tuple[dict[str, str] | None, str]:
    bare = re.sub(r"^.+?市(?=.+[区县])", "", p.cn_name_zh)
    row = cn_place_table().get((p.cn_province_en, strip_cn_suffix(bare))) if p.cn_name_zh else None
    if row is None:
        return None, "no gazetteer match for the Chinese side"
    at = gaz.find_cn(row["placed_at_zh"], "", p.cn_province_en)
    if at is None:
        raise AssertionError(f"cn_places.csv: {row['placed_at_zh']} ({p.cn_province_en}) is not in the gazetteer")
    if row["kind"] == "parent":
        p.at_parent = True
        return {"place_id": f"gn:{at.geonameid}", "side": "cn", "name_en": gaz.own_name(at, row["placed_at_zh"]),
                "name_zh": "",
                "country_iso3": "CHN", "province_en": p.cn_province_en, "lat": f"{at.lat:.4f}",
                "lon": f"{at.lon:.4f}", "precision": "city", "geonames_id": str(at.geonameid), "note": ""}, ""
    # A prefecture-level unit (autonomous prefecture, league) at its seat: its own row, named for the unit.
    return {"place_id": f"cnseat:{p.cn_province_en}:{strip_cn_suffix(p.cn_name_zh)}", "side": "cn",
            "name_en": p.cn_name_en, "name_zh": p.cn_name_zh, "country_iso3": "CHN",
            "province_en": p.cn_province_en, "lat": f"{at.lat:.4f}", "lon": f"{at.lon:.4f}",
            "precision": "region_capital", "geonames_id": str(at.geonameid),
            "note": f"{row['note']} (placed at {at.name})"}, ""


# --- Partner side -------------------------------------------------------------------------------------------

_STATE_WORDS = re.compile(
    r"\b(Province|Prefecture|Oblast|Krai|Region|County|Voivodeship|Department|Canton|State|Governorate|"
    r"Republic|District)\b|^County ", re.IGNORECASE)


def partner_level(name_en: str, raw_level: str, iso3: str) -> str:
    if raw_level in {"state", "city"} and not (iso3 == "USA" and name_en.endswith(" County")):
        return raw_level
    if name_en.endswith(" County") or name_en.startswith("County "):
        return "county"
    return "unknown"


def _partner_forms(name_en: str) -> list[str]:
    forms = [name_en]
    bare = re.sub(r"\s*\((state|city|province)\)$", "", name_en, flags=re.IGNORECASE)
    bare = re.sub(r"^(City of|Municipality of|Town of)\s+", "", bare)
    forms += [bare, re.sub(r"\s+(City|Town|Municipality)$", "", bare), re.sub(r"\s*\(.*\)$", "", bare)]
    forms.append(_STATE_WORDS.sub("", bare).strip())
    # GeoNames spells Korean and Japanese municipalities with their suffix ('Yongin-si', 'Hitachi-ota').
    forms += [f"{bare}-{suffix}" for suffix in ("si", "gun", "gu", "shi")] + [f"{bare} City"]
    forms += [re.sub(r"\s+(Shire|County|Regional Municipality|City Council)$", "", bare)]
    return [f for f in dict.fromkeys(forms) if f]


_SUBUNIT_RE = re.compile(r"^(?P<parent>[^–(]+?)\s+(?:[IVXL]+\s+|\d+\s+)?–\s+(?P<child>.+)$|"
                         r"^(?P<child2>[^(]+?)\s*\((?P<parent2>[^)]+)\)$")


def _subunit(name_en: str) -> tuple[str, str] | None:
    """Split 'Seoul – Gangnam' or 'Gwanak-gu (Seoul)' into (child, parent)."""
    m = _SUBUNIT_RE.match(name_en)
    if not m:
        return None
    if m.group("child"):
        return m.group("child"), re.sub(r"\s+\d+$", "", m.group("parent"))
    return m.group("child2"), m.group("parent2")


def place_partner(
    gaz: Gazetteer, name_en: str, iso3: str, iso2: str, fixes: dict[tuple[str, str], dict[str, str]]
) -> tuple[dict[str, str] | None, str]:
    fix = fixes.get((fold(name_en), iso3))
    precision, note = "city", ""
    hit = None
    label = ""  # the place's name when it is not GeoNames' own
    if fix:
        hit = gaz.by_id(int(fix["geonames_id"])) if fix.get("geonames_id") else gaz.find(fix["lookup"], iso2)
        precision, note = fix["precision"], fix["note"]
        if hit is None:
            return None, f"hand fix {fix.get('lookup') or fix.get('geonames_id')!r} not in the gazetteer"
    else:
        for form in _partner_forms(name_en):
            hit = gaz.find(form, iso2)
            if hit:
                break
        if hit is None and iso2 == "KR" and _subunit(name_en) is None:
            # Another romanisation of the same name ('Gimje' is GeoNames' 'Kimje'): the place keeps the list's
            # spelling, the official one since 2000.
            hit = gaz.find_korean(name_en)
            if hit is not None:
                label, note = name_en, f"GeoNames spells it {hit.name}"
        sub = _subunit(name_en) if hit is None else None
        if sub:
            child, parent = sub
            parent_hit = gaz.find(parent, iso2)
            for form in (child, f"{child}-gu", f"{child}-ku", f"{child} District"):
                # Only a place near the parent city: Seoul's Gangdong-gu is not the Gangdong in Gangwon.
                near = [h for h in gaz.find_all(form, iso2) if parent_hit is None or
                        _km(h.lat, h.lon, parent_hit.lat, parent_hit.lon) <= 40]
                if near:
                    hit = near[0]
                    break
            if hit is None:
                hit = parent_hit
                precision, note = "parent_city", f"district placed at its parent city {parent}"
    if hit is None:
        return None, "no gazetteer match for the partner"
    if precision == "parent_city":
        # The district's own row at its parent's point, named for the district: the parent city's own place
        # keeps its name and precision.
        return {
            "place_id": f"sub:{iso3}:{fold(name_en).replace(' ', '_')}", "side": "partner", "name_en": name_en,
            "name_zh": "", "country_iso3": iso3, "province_en": "", "lat": f"{hit.lat:.4f}",
            "lon": f"{hit.lon:.4f}", "precision": precision, "geonames_id": str(hit.geonameid), "note": note,
        }, ""
    return {
        "place_id": f"gn:{hit.geonameid}", "side": "partner", "name_en": label or hit.name, "name_zh": "",
        "country_iso3": iso3, "province_en": "", "lat": f"{hit.lat:.4f}", "lon": f"{hit.lon:.4f}",
        "precision": precision, "geonames_id": str(hit.geonameid), "note": note,
    }, ""


# --- Assembly: see build() below -------------------------------------------------------------------------


def _fill_chinese_names(rows: list[dict[str, str]], places: dict[str, dict[str, str]],
                        gaz: Gazetteer | None = None) -> None:
    """Give each place the Chinese name its pairings use, so the map can label it in Chinese; a foreign city no
    list names in Chinese takes GeoNames' Chinese alternate name, and its note says so."""
    zh_by_place: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        at_parent = "placed at its parent city" in r["note"]
        if r["cn_place_id"] and r["cn_name_zh"] and r["cn_level"] != "district" and not at_parent:
            zh_by_place[r["cn_place_id"]].add(r["cn_name_zh"])
        # A region's own place takes its Chinese name from the seat table only, never from a row's name (which
        # may be its capital city's).
        if r["partner_place_id"] and r["partner_name_zh"] and not r["partner_place_id"].startswith("area:"):
            zh_by_place[r["partner_place_id"]].add(r["partner_name_zh"])
    for pid, names in zh_by_place.items():
        if pid in places and not places[pid]["name_zh"]:
            places[pid]["name_zh"] = min(names, key=lambda n: (len(n), n))
    if gaz is None:
        return
    for place in places.values():
        if place["side"] == "partner" and not place["name_zh"] and place["geonames_id"] and \
                place["precision"] == "city":
            zh = gaz.chinese_name(int(place["geonames_id"]))
            if zh:
                place["name_zh"] = zh
                place["note"] = "; ".join(x for x in (place["note"], "Chinese name from GeoNames alternate names")
                                          if x)


def _one_chinese_name(rows: list[dict[str, str]], places: dict[str, dict[str, str]]) -> None:
    """Each foreign place is written one way in Chinese, in simplified characters, and every pairing with it
    uses that name: a region as the seat table names it, a city (or a region the table does not name) as most
    of the Chinese lists naming its ties write it (GeoNames' alternate names, often Taiwan or Hong Kong forms
    such as 伯明罕 for Birmingham or 伯力 for Khabarovsk, only when no list names it). A pairing whose list
    wrote another name, not just another ending, keeps it in its note."""
    for each in places.values():
        each["name_zh"] = simplified(each["name_zh"])
    for r in rows:
        r["partner_name_zh"] = simplified(r["partner_name_zh"])
    listed: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r["partner_place_id"] and r["partner_name_zh"]:
            listed[r["partner_place_id"]][r["partner_name_zh"]] += 1
    city_names = {p["name_zh"] for p in places.values() if p["precision"] == "city" and p["name_zh"]}
    for pid, counts in listed.items():
        place = places.get(pid)
        # A region or district named in the seat table or for itself keeps that name; one the table does not
        # name never takes a city's name from a row (a list may write the region by its capital's name).
        if place is None or (place["precision"] != "city" and place["name_zh"]):
            continue
        if place["precision"] != "city":
            counts = Counter({n: k for n, k in counts.items() if n not in city_names})
            if not counts:
                continue
        by_core: dict[str, Counter[str]] = defaultdict(Counter)
        for name, n in counts.items():
            by_core[zh_split(name)[0]][name] += n
        current = zh_split(place["name_zh"])[0] if place["name_zh"] else ""
        core = max(by_core, key=lambda c: (sum(by_core[c].values()), c == current, -len(c), c))
        forms = by_core[core]
        name = place["name_zh"] if core == current else \
            max(forms, key=lambda f: (forms[f], -len(f), f))
        if name != place["name_zh"]:
            if place["name_zh"]:
                place["note"] = "; ".join(x for x in (place["note"], f"Chinese name as the lists write it "
                                                                      f"(elsewhere {place['name_zh']})") if x)
            place["name_zh"] = name
    for r in rows:
        place = places.get(r["partner_place_id"])
        if place is None or not place["name_zh"] or r["partner_name_zh"] == place["name_zh"]:
            continue
        if r["partner_name_zh"] and zh_split(r["partner_name_zh"])[0] != zh_split(place["name_zh"])[0]:
            r["note"] = "; ".join(x for x in (r["note"], f"listed in Chinese as {r['partner_name_zh']}") if x)
        r["partner_name_zh"] = place["name_zh"]


def write_date_sources(rows: list[dict[str, str]]) -> None:
    """data/DATE_SOURCES.md: every page or outlet a date was taken from, with how many dates it gave."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["date_source"]:
            counts[r["date_source"]] += 1
    lines = ["# Where the dates come from", "",
             "Generated by `python -m geo.build` from `data/pairings.csv` (column `date_source`); do not edit.",
             f"{sum(counts.values())} dated pairings, {len(counts)} sources. A date is never estimated: each one was",
             "read off the source named here (outlet, and the page address where it was recorded).", "",
             "| dates | source |", "| ---: | --- |"]
    for source, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {n} | {source.replace('|', '/')} |")
    paths.DATE_SOURCES.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)



# --- Chinese units ------------------------------------------------------------------------------------------

BOOK = "《城市外交：理论与实践》 (Social Sciences Academic Press, 2016)"
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")


_COMMON_DISTRICT_NAMES = {"鼓楼", "城关", "新城", "城中", "城东", "城西", "城南", "城北", "市中", "郊", "中山", "西湖",
                          "白云", "朝阳", "和平", "河东", "河西", "南山", "江北", "普陀", "青山", "铁西", "铁东",
                          "长安", "新华", "桥西", "桥东", "开发", "高新", "经济技术开发", "城厢", "江南", "海港"}


class Units:
    """Every Chinese unit the claims name, keyed so that English-named and Chinese-named claims meet."""

    def __init__(self, gaz: Gazetteer, provinces: dict[str, dict[str, str]]) -> None:
        self.gaz, self.provinces = gaz, provinces
        self.units: dict[str, Unit] = {}
        self.by_zh: dict[tuple[str, str], str] = {}
        self.by_en: dict[str, set[str]] = defaultdict(set)
        self.prov_by_zh = {_PROVINCE_SUFFIX.sub("", r["province_zh"]): k for k, r in provinces.items()}
        self.prefecture_bases: dict[str, list[str]] = defaultdict(list)

    def _key(self, province: str, name_zh: str, name_en: str, level: str) -> str:
        if level == "province":
            return f"prov:{province}"
        if name_zh and level in ("district", "county"):
            # '大连市金州区' and '大连金州新区' are 金州区 of Dalian: the parent city's name is not the unit's.
            name_zh = re.sub(r"^.+?市(?=.+[区县])", "", name_zh)
            for parent in self.prefecture_bases.get(province, ()):
                if name_zh.startswith(parent) and len(name_zh) > len(parent) + 1:
                    name_zh = name_zh[len(parent):]
                    break
        base = strip_cn_suffix(name_zh) if name_zh else "en:" + loose(re.sub(r"\s*\(.*\)$", "", name_en))
        if name_zh and re.search(r"(自治州|地区|盟)$", name_zh):
            # A prefecture-level unit (昌吉回族自治州, 喀什地区) is not its seat city (昌吉市, 喀什市), though both
            # strip to one name.
            base += "|prefecture"
        # A county-level city that became a district (吴江市 -> 吴江区) is one unit; district names many cities
        # share (鼓楼区 in Nanjing, Xuzhou, Fuzhou …) keep their parent in the key.
        m = _PARENT_RE.match(name_en)
        if level == "district" and base in _COMMON_DISTRICT_NAMES:
            return f"{province or '?'}|{base}|{fold(m.group('parent')) if m else ''}"
        return f"{province or '?'}|{base}"

    def _register(self, unit: Unit) -> Unit:
        if unit.cn_level == "prefecture" and unit.cn_name_zh:
            base = strip_cn_suffix(unit.cn_name_zh)
            if len(base) >= 2 and base not in self.prefecture_bases[unit.cn_province_en]:
                self.prefecture_bases[unit.cn_province_en].append(base)
        kept = self.units.setdefault(unit.key, unit)
        kept.cn_name_zh = kept.cn_name_zh or unit.cn_name_zh
        if unit.cn_name_zh and unit.cn_province_en:
            self.by_zh.setdefault((unit.cn_province_en, strip_cn_suffix(unit.cn_name_zh)), unit.key)
        self.by_en[loose(re.sub(r"\s*\(.*\)$", "", unit.cn_name_en))].add(unit.key)
        return kept

    def from_english(self, c: Claim) -> Unit:
        """A claim that names the Chinese unit in English (and often in Chinese)."""
        name_zh = zh_norm(c.cn_name_zh) if c.cn_name_zh else ""
        province = c.cn_province_en
        if not province and not c.cn_name_en and name_zh:
            return self.from_chinese(c)
        if not province:
            # Partner-side pages name the Chinese unit in English only: find the one unit of that name.
            known = self.by_en.get(loose(re.sub(r"\s*\(.*\)$", "", c.cn_name_en)), set())
            zh_known = {k for k in known if not name_zh or strip_cn_suffix(self.units[k].cn_name_zh) ==
                        strip_cn_suffix(name_zh)} or known
            if len(zh_known) == 1:
                return self.units[next(iter(zh_known))]
            by_zh = {k for (_, base), k in self.by_zh.items() if name_zh and base == strip_cn_suffix(name_zh)}
            if len(by_zh) == 1:
                return self.units[next(iter(by_zh))]
            if c.cn_name_en in MUNICIPALITIES:
                province = c.cn_name_en
            table_hits = [prov for (prov, base), _ in cn_place_table().items()
                          if name_zh and base == strip_cn_suffix(name_zh)]
            if len(table_hits) == 1:
                province = table_hits[0]
        level_hint = c.cn_level
        if c.cn_name_en in MUNICIPALITIES or name_zh.endswith(("省", "自治区")) or \
                re.sub(r"\s+Province$", "", c.cn_name_en) == province:
            level_hint = "province"
        name_en, name_zh, level = normalise_cn_side(c.cn_name_en, name_zh, province, level_hint)
        unit = Unit(self._key(province, name_zh, name_en, level), name_zh, name_en, province, level)
        return self._register(unit)

    def from_chinese(self, c: Claim) -> Unit:
        """A claim from a Chinese list: Chinese name and province only."""
        name_zh = zh_norm(c.cn_name_zh)
        province = c.cn_province_en
        prov = self.provinces.get(province, {})
        if name_zh in (prov.get("province_zh"), _PROVINCE_SUFFIX.sub("", prov.get("province_zh", ""))) or \
                (name_zh.endswith(("省", "自治区")) and name_zh[:2] == prov.get("province_zh", "")[:2]):
            return self._register(Unit(f"prov:{province}", prov["province_zh"], province, province, "province"))
        parent_zh = ""
        m = re.match(r"^(.+?市)(.+?[区县市])$", name_zh)
        if m and province not in MUNICIPALITIES:
            parent_zh, name_zh = m.group(1), m.group(2)
        level = "district" if name_zh.endswith(("区", "镇")) or c.cn_level == "district" else \
            "county" if name_zh.endswith(("县", "旗")) or parent_zh else "prefecture"
        key = self.by_zh.get((province, strip_cn_suffix(name_zh)))
        if key and self.units[key].cn_level == level or key and level == "prefecture":
            return self.units[key]
        hit = self.gaz.find_cn(name_zh, "", province)
        bare = strip_cn_suffix(name_zh)
        if level == "district" and province in MUNICIPALITIES:
            name_en = f"{pinyin_name(bare)} ({province})"
        elif parent_zh:
            parent_hit = self.gaz.find_cn(parent_zh, "", province)
            parent_en = self.gaz.own_name(parent_hit, parent_zh) if parent_hit else \
                pinyin_name(strip_cn_suffix(parent_zh))
            name_en = f"{pinyin_name(bare)} ({parent_en})"
        else:
            name_en = self.gaz.own_name(hit, name_zh) if hit and level != "district" else pinyin_name(bare)
        unit = Unit(self._key(province, name_zh, name_en, level), name_zh, name_en, province, level, parent_zh)
        return self._register(unit)


# --- claims of the book's cases -----------------------------------------------------------------------------

def case_claims() -> list[Claim]:
    """The book's case pairings, sourced to the book; dates only where the case file confirms them."""
    import yaml

    out = []
    for case in yaml.safe_load(paths.CASES.read_text(encoding="utf-8")):
        if case["kind"] != "pairing":
            continue
        c = Claim(f"cases.yaml:case {case['number']}", f"{BOOK}, case {case['number']} (p. {case['book_page']})",
                  "book", case["cn_name_zh"], case["cn_name_en"], case["cn_province_en"], case["cn_level"],
                  case.get("partner_name_zh", ""), case["partner_name_en"], case["partner_country_iso3"],
                  case["partner_level"] if case["partner_level"] != "unknown" else "")
        out.append(c)
        if case.get("established") and case.get("date_status") == "confirmed":
            # The case file's date note names where the date came from; the claim cites the case file, ranked
            # low, so the pages it names (already among the inputs) decide.
            facts = [f for f in case["facts"] if f.get("status") == "confirmed" and f.get("source_url")]
            if case.get("date_note_en") or not facts:
                outlet = f"data/cases.yaml, case {case['number']}: {case.get('date_note_en') or 'date as confirmed'}"
            else:  # the case's first confirmed fact is the one that dates it
                outlet = f"{facts[0]['source_outlet']} ({facts[0]['source_url']})"
            dated = Claim(**{**c.__dict__, "notes": []})
            dated.origin += " (date)"
            dated.source, dated.source_class = outlet, "other"
            dated.date = str(case["established"])
            if "approv" in (case.get("date_note_en") or "").lower():
                dated.date_kind = "approved"
            out.append(dated)
        if case.get("verification") == "per_book":
            c.notes.append("per the book only; not independently confirmed")
    return out


# --- Partner placement --------------------------------------------------------------------------------------

_STATE_MARK = re.compile(r"\((state|province|prefecture|region)\)$|\b(Prefecture|Province|Oblast|Krai|Region|"
                         r"State|Voivodeship|Governorate|Republic|-do|Metropolis)$", re.IGNORECASE)


def _place_row(hit: GazetteerHit, iso3: str, precision: str, note: str) -> dict[str, str]:
    return {"place_id": f"gn:{hit.geonameid}", "side": "partner", "name_en": hit.name, "name_zh": "",
            "country_iso3": iso3, "province_en": "", "lat": f"{hit.lat:.4f}", "lon": f"{hit.lon:.4f}",
            "precision": precision, "geonames_id": str(hit.geonameid), "note": note}


def seat_says_state(name_en: str, name_zh: str, iso3: str) -> bool:
    """Whether a partner whose level no source states is a first-level unit: its English name is exactly one
    in the seat table (and not also its seat's), or its Chinese name is; and the Chinese name, if any, agrees
    ('茨木市' is Ibaraki city in Osaka, not Ibaraki Prefecture, 茨城县)."""
    table = admin1.seats()
    seat = table.get((iso3, fold(name_en))) if name_en else None
    seat = seat or (table.get((iso3, "zh:" + zh_norm(name_zh))) if name_zh else None)
    if seat is None or (name_en and fold(seat.seat_en) == fold(name_en)):
        return False
    if not name_zh:
        return True
    names_zh = (seat.name_zh, *seat.aliases_zh)
    if zh_norm(name_zh) in names_zh:
        return True
    return zh_split(name_zh, iso3)[1] != "city" and \
        zh_base(name_zh, iso3) in {zh_base(n, iso3) for n in names_zh if n}


def find_seat(name_en: str, name_zh: str, iso3: str, level: str = "") -> admin1.Seat | None:
    """The seat-table entry for a first-level unit; a bare name ('Washington') finds its state only when the
    source says the partner is a state."""
    table = admin1.seats()
    forms = [fold(name_en), fold(_STATE_MARK.sub("", name_en).strip())] if name_en else []
    if name_en and level == "state":
        forms += [fold(f"{name_en} (state)"), fold(f"{name_en} State"), fold(f"{name_en} Province")]
    for key in forms:
        if key and (iso3, key) in table:
            return table[(iso3, key)]
    if name_zh:
        for form in (zh_norm(name_zh), zh_base(name_zh, iso3)):
            if (iso3, "zh:" + form) in table:
                return table[(iso3, "zh:" + form)]
    return None


def place_state(gaz: Gazetteer, seat: admin1.Seat, iso2: str) -> tuple[dict[str, str] | None, str]:
    """A first-level unit at its seat, the seat looked up inside the unit's outline (never a namesake)."""
    outline = admin1.outlines().find(seat.country_iso3, seat.ne_name)
    hit = gaz.by_id(seat.seat_geonames_id) if seat.seat_geonames_id else None
    if hit is None:
        hits = gaz.find_all(seat.seat_en, iso2)
        if outline is not None and not seat.seat_outside:
            from shapely.geometry import Point

            # Within 25 km of the outline: a seat that is a city of its own (Kecskemét, Hungary) is a hole in it.
            hits = [h for h in hits if outline.buffer(checks.SEAT_KM / 111.0).contains(Point(h.lon, h.lat))]
        hit = hits[0] if hits else None
    if hit is None:
        return None, f"seat {seat.seat_en!r} of {seat.name_en} not found in the gazetteer"
    return _region_row(hit, seat.country_iso3, seat.name_en, seat.name_zh, seat.seat_en), ""


def _region_row(hit: GazetteerHit, iso3: str, name_en: str, name_zh: str, seat_en: str) -> dict[str, str]:
    """A first-level unit's own place row, at its seat's coordinates: named for the unit, so the seat city and
    the unit never share a label (Florence is not 托斯卡纳大区)."""
    return {"place_id": f"area:{iso3}:{fold(name_en).replace(' ', '_')}", "side": "partner", "name_en": name_en,
            "name_zh": name_zh, "country_iso3": iso3, "province_en": "", "lat": f"{hit.lat:.4f}",
            "lon": f"{hit.lon:.4f}", "precision": "region_capital", "geonames_id": str(hit.geonameid),
            "note": f"{name_en} placed at its seat {seat_en} (GeoNames {hit.geonameid})"}


def place_partner_any(gaz: Gazetteer, name_en: str, name_zh: str, iso3: str, iso2: str, level: str,
                      fixes: dict[tuple[str, str], dict[str, str]],
                      zh_gid: int | None) -> tuple[dict[str, str] | None, str]:
    """Place a partner: hand fix, else a first-level unit at its seat, else the GeoNames place its Chinese name
    gives, else its English name. A name marked as a state is never placed at a city of the same name."""
    fix = fixes.get((fold(name_en), iso3)) if name_en else None
    if fix is None and name_en.endswith("(as given)"):
        # The researcher could not identify the partner ('Cassengo (as given)'): a place of that spelling found
        # in the gazetteer may well be a namesake, so none is used.
        return None, "partner not identified (its name as the page spells it)"
    seat = find_seat(name_en, name_zh if level != "city" else "", iso3, level)
    fix_is_region = fix is not None and fix["precision"] == "region_capital"
    # The seat table holds first-level units only, so a county found there (a Romanian județ, an English shire
    # county) is placed at its seat like a state, never at a town of its name.
    if seat is not None and (fix is None or fix_is_region) and (
            level in ("state", "county") or _STATE_MARK.search(name_en or "") or not name_en or fix_is_region):
        return place_state(gaz, seat, iso2)
    if fix is None and (level == "state" or _STATE_MARK.search(name_en or "")):
        outline = admin1.outlines().find(iso3, _STATE_MARK.sub("", name_en).strip()) if name_en else None
        if outline is not None:
            pt = outline.representative_point()
            return {"place_id": f"area:{iso3}:{fold(name_en).replace(' ', '_')}", "side": "partner",
                    "name_en": name_en, "name_zh": "", "country_iso3": iso3, "province_en": "",
                    "lat": f"{pt.y:.4f}", "lon": f"{pt.x:.4f}", "precision": "region_centre",
                    "geonames_id": "", "note": f"{name_en}: no seat in data/raw/admin1_seats.csv; placed at a "
                                               "point inside its outline (Natural Earth)"}, ""
        return None, "first-level unit with no seat in data/raw/admin1_seats.csv"
    if fix is None and not name_en and zh_gid is not None:
        hit = gaz.by_id(zh_gid)
        if hit is not None:
            return _place_row(hit, iso3, "city", "placed by its Chinese name in GeoNames"), ""
    if not name_en:
        return None, "no English name and no GeoNames place for the Chinese name"
    place, problem = place_partner(gaz, name_en, iso3, iso2, fixes)
    if place and place["precision"] == "region_capital":
        hit = gaz.by_id(int(place["geonames_id"]))
        assert hit is not None
        bare = _STATE_MARK.sub("", name_en).strip() or name_en
        same_as_seat = gaz.find(bare, iso2)
        if same_as_seat is not None and same_as_seat.geonameid == hit.geonameid:
            bare = name_en  # 'Hanover Region' stays so: 'Hanover' would name its seat city
        place = _region_row(hit, iso3, bare, "", place["name_en"])
    return place, problem


# --- Build --------------------------------------------------------------------------------------------------

def _load_inputs(rules, provinces: dict[str, dict[str, str]]) -> tuple[list[Claim], list[Claim]]:  # type: ignore[no-untyped-def]
    """(claims naming the partner in English, claims naming it in Chinese only)."""
    name_fixes = {(r["cn_name_en"], r["partner_name_en"], r["partner_country_en"]): r
                  for r in read_csv(paths.RAW_NAME_FIXES)}
    english = candidate_claims(rules)
    for c in english:
        if not c.origin.startswith(paths.RAW_CANDIDATES.name):
            continue
        row = read_candidate_row(c)
        fix = name_fixes.get(row) if row else None
        if fix:
            c.cn_name_en = fix["cn_name_en_fixed"] or c.cn_name_en
            c.cn_name_zh, c.cn_province_en = fix["cn_name_zh"], fix["cn_province_en"]
            c.cn_level = fix["cn_level"] or c.cn_level
            c.notes.append(f"Chinese side identified from {fix['source_outlet']}")
    for path in (paths.RAW_DATED, paths.RAW / "dates_extra.csv"):
        english += research_style_claims(path, rules)
    english += matched_list_claims(paths.RAW / "pairs_partner_side_dated.csv", rules, "partner_side")
    english += matched_list_claims(paths.RAW / "pairs_hangzhou_zhwiki_excerpt.csv", rules, "cn_list")
    for path in sorted(paths.RAW.glob("research_*.csv")):
        english += research_claims(path, rules)
    english += case_claims()
    prov_by_zh = {r["province_zh"]: k for k, r in provinces.items()}
    chinese = zhwiki_claims(paths.RAW / "pairs_zhwiki_old.csv", prov_by_zh) + \
        zhwiki_claims(paths.RAW / "pairs_zhwiki_old_cities.csv", prov_by_zh)
    # Hangzhou's excerpt and the partner-side rows give both names: they are English claims with a Chinese name.
    return english, chinese


_CANDIDATE_ROWS: dict[str, tuple[str, str, str]] = {}


def read_candidate_row(c: Claim) -> tuple[str, str, str] | None:
    if not _CANDIDATE_ROWS:
        for n, r in enumerate(read_csv(paths.RAW_CANDIDATES), start=2):
            _CANDIDATE_ROWS[str(n)] = (r["cn_name_en"], r["partner_name_en"], r["partner_country_en"])
    return _CANDIDATE_ROWS.get(c.origin.split(":")[1].split(" ")[0])


def _tie_label(unit: Unit, partner_en: str, partner_zh: str, iso3: str) -> str:
    return f"{unit.cn_name_zh or unit.cn_name_en} ({unit.cn_province_en or '?'}) – {partner_en or partner_zh} ({iso3})"


def build() -> dict[str, int]:
    gaz = gazetteer()
    provinces = load_provinces()
    iso2_of = {row["iso3"]: row["iso2"] for row in read_csv(paths.COUNTRIES)}
    place_fixes = {(fold(r["name_en"]), r["country_iso3"]): r for r in read_csv(paths.RAW_PLACE_FIXES)}
    rules = load_class_rules()
    english, chinese = _load_inputs(rules, provinces)
    problems: list[str] = [f"{c.origin}: partner country not recognised" for c in english + chinese
                           if not c.partner_country_iso3]

    units = Units(gaz, provinces)
    unit_of: dict[int, Unit] = {}
    # Claims that name the province first, so a claim without one is matched against every unit of its name.
    for c in [c for c in english if c.cn_province_en]:
        unit_of[id(c)] = units.from_english(c)
    for c in chinese:
        unit_of[id(c)] = units.from_chinese(c)
    for c in [c for c in english if not c.cn_province_en]:
        unit_of[id(c)] = units.from_english(c)

    places: dict[str, dict[str, str]] = {}
    for unit in units.units.values():
        unit.place, unit.problem = place_cn(gaz, unit, provinces) if unit.cn_province_en else \
            (None, "Chinese side ambiguous (province unknown)")
        if unit.place:
            places.setdefault(unit.place["place_id"], unit.place)

    # Partner places of the English-named claims; a tie is one unit, one country, one partner place (or name).
    placed: dict[tuple[str, str, str], tuple[dict[str, str] | None, str]] = {}
    ties: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    by_partner: dict[tuple[str, str, str], Tie] = {}
    place_gid: dict[str, int | None] = {}
    for c in english:
        level = partner_level(c.partner_name_en, c.partner_level, c.partner_country_iso3)
        if level == "unknown":
            # A page that does not say the level: the Chinese name's ending says it ('马里兰州'), or the name
            # is a first-level unit's own name in the seat table (and not also its seat city's).
            zl = zh_split(c.partner_name_zh, c.partner_country_iso3)[1] if c.partner_name_zh else ""
            if zl == "state" or seat_says_state(c.partner_name_en, c.partner_name_zh, c.partner_country_iso3):
                level = c.partner_level = "state"
        pkey = (c.partner_name_en, c.partner_country_iso3, level if level == "state" else "")
        if pkey not in placed:
            placed[pkey] = place_partner_any(gaz, c.partner_name_en, c.partner_name_zh, c.partner_country_iso3,
                                             iso2_of.get(c.partner_country_iso3, ""), level, place_fixes, None)
        place, _ = placed[pkey]
        region = (place is not None and place["precision"] in ("region_capital", "region_centre")) or \
            (place is None and level == "state")
        partner = (place["place_id"] if place else loose(c.partner_name_en)) + ("|state" if region else "|local")
        unit = unit_of[id(c)]
        key = (unit.key, c.partner_country_iso3, partner)
        if key not in by_partner:
            by_partner[key] = Tie(unit.key, c.partner_country_iso3, partner_key=partner)
            ties[(unit.key, c.partner_country_iso3)].append(by_partner[key])
            place_gid[partner] = int(place["geonames_id"]) if place and place["geonames_id"] else None
        by_partner[key].claims.append(c)

    evidence = ZhEvidence()
    for c in english:
        if c.partner_name_zh and c.partner_name_en:
            evidence.english[(c.partner_country_iso3, zh_base(c.partner_name_zh, c.partner_country_iso3))].add(
                c.partner_name_en)
    for (iso3, seat_key), seat in admin1.seats().items():
        if seat_key.startswith("zh:"):
            evidence.english[(iso3, zh_base(seat_key[3:], iso3))].add(seat.name_en)
    for r in read_csv(paths.RAW / "partner_names.csv"):
        evidence.english[(r["country_iso3"], zh_base(r["name_zh"], r["country_iso3"]))].add(r["name_en"])
    for c in chinese:
        hits = gaz.find_zh_foreign(c.partner_name_zh, iso2_of.get(c.partner_country_iso3, ""))
        evidence.geonames[(c.partner_country_iso3, zh_base(c.partner_name_zh, c.partner_country_iso3))] = \
            {h.geonameid for h in hits}
    created = match_chinese_claims(ties, [(unit_of[id(c)].key, c) for c in chinese], evidence, place_gid)

    # A tie only the Chinese lists know: its English name and place from the curated tables or GeoNames.
    curated_en = {(r["country_iso3"], zh_norm(r["name_zh"])): r for r in read_csv(paths.RAW / "partner_names.csv")}
    for tie, _ in created:
        c = tie.claims[0]
        iso3, iso2 = c.partner_country_iso3, iso2_of.get(c.partner_country_iso3, "")
        zl = zh_split(c.partner_name_zh, iso3)[1]
        row = curated_en.get((iso3, zh_norm(c.partner_name_zh)))
        zh_seat = find_seat("", c.partner_name_zh, iso3) if zl != "city" else None
        # GeoNames holds populated places: a name the lists mark as a state or county is not looked up there
        # ('奥兰治县' is Orange County, not Orangeville).
        hits = gaz.find_zh_foreign(c.partner_name_zh, iso2) if zl in ("city", "") else []
        name_en, how = "", ""
        if row:
            name_en, how = row["name_en"], f"English name from data/raw/partner_names.csv ({row['source']})"
        elif zh_seat:
            name_en, how = zh_seat.name_en, "English name from data/raw/admin1_seats.csv"
        elif hits:
            name_en, how = hits[0].name, "English name and place from GeoNames' Chinese alternate names"
        else:
            known = sorted(evidence.english_for(iso3, c.partner_name_zh))
            if len(known) == 1:
                name_en, how = known[0], "English name from another source giving both names"
        c.partner_name_en = name_en
        c.partner_level = c.partner_level or ("state" if zh_seat or zl == "state" else zl)
        if how:
            tie.match_notes.append(how)
        place, problem = place_partner_any(gaz, name_en, c.partner_name_zh, iso3, iso2, c.partner_level,
                                           place_fixes, hits[0].geonameid if hits and not row and not zh_seat else None)
        placed[(name_en or c.partner_name_zh, iso3, "zh")] = (place, problem)
        region = place is not None and place["precision"] in ("region_capital", "region_centre")
        tie.partner_key = (place["place_id"] if place else f"zh:{zh_base(c.partner_name_zh, iso3)}") + \
            ("|state" if region else "|local")

    # Two Chinese-list rows that resolve to one place are one tie (the same partner under two spellings).
    for tie_list in ties.values():
        kept: dict[str, Tie] = {}
        for tie in list(tie_list):
            if tie.partner_key in kept:
                kept[tie.partner_key].claims += tie.claims
                kept[tie.partner_key].match_notes += tie.match_notes + ["merged: same place as another row"]
                tie_list.remove(tie)
            else:
                kept[tie.partner_key] = tie

    # An English-Wikipedia-only tie named like a first-level partner of the same unit ('Washington' beside
    # 'Washington State' for Sichuan), whose level no source states, is that tie.
    for tie_list in ties.values():
        states = {loose(c.partner_name_en): t for t in tie_list if t.partner_key.endswith("|state")
                  for c in t.english_claims()}
        for tie in list(tie_list):
            if tie.partner_key.endswith("|state") or not all(c.source_class == "enwiki" for c in tie.claims):
                continue
            if any(c.partner_level in ("city", "county") for c in tie.claims):
                continue
            target = next((states[loose(c.partner_name_en)] for c in tie.english_claims()
                           if loose(c.partner_name_en) in states), None)
            if target is not None and target is not tie:
                target.claims += tie.claims
                target.match_notes.append("English Wikipedia's row of unstated level joined the first-level tie "
                                          "of the same name")
                tie_list.remove(tie)

    # Ties of one unit and country whose English names agree are one tie (a place found under one spelling and
    # not under another must not split it).
    for tie_list in ties.values():
        by_name: dict[tuple[str, str], Tie] = {}
        for tie in list(tie_list):
            tag = tie.partner_key.rsplit("|", 1)[-1]
            names = {(loose(c.partner_name_en), tag) for c in tie.english_claims()}
            same = next((by_name[n] for n in sorted(names) if n in by_name), None)
            if same is not None and same is not tie:
                same.claims += tie.claims
                same.match_notes += tie.match_notes
                tie_list.remove(tie)
                names |= {(loose(c.partner_name_en), tag) for c in same.english_claims()}
                for n in names:
                    by_name[n] = same
            else:
                for n in names:
                    by_name.setdefault(n, tie)

    again_cache: dict[tuple[str, str, str, str], dict[str, str] | None] = {}

    def place_again(name_en: str, name_zh: str, iso3: str, level: str) -> dict[str, str] | None:
        key = (name_en, name_zh, iso3, level)
        if key not in again_cache:
            again_cache[key] = place_partner_any(gaz, name_en, name_zh, iso3, iso2_of.get(iso3, ""), level,
                                                 place_fixes, None)[0]
        return again_cache[key]

    rows: list[dict[str, str]] = []
    conflicts: list[Conflict] = []
    for (unit_key, _iso3), tie_list in sorted(ties.items()):
        unit = units.units[unit_key]
        for tie in tie_list:
            rows.append(_tie_row(tie, unit, provinces, placed, places, conflicts, iso2_of, place_again))
    merged: Merged = {}
    rows = _merge_same_place(rows, conflicts, merged)
    rows = _merge_spellings(rows, conflicts, merged)
    rows = _merge_unresolved(rows, merged)
    rows = _merge_namesake_units(rows, conflicts, merged)
    rows = _merge_district_parent(rows, conflicts, merged)
    rows = _apply_tie_decisions(rows, conflicts, merged)
    _apply_date_decisions(rows, conflicts)
    rows.sort(key=lambda r: (r["cn_province_en"], r["cn_name_en"], r["partner_country_iso3"], r["partner_name_en"],
                             r["pair_id"]))
    ids = [r["pair_id"] for r in rows]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise AssertionError(f"pair_id collision: {dup[:5]}")
    _fill_chinese_names(rows, places, gaz)
    _one_chinese_name(rows, places)
    checks.check_places(rows, places)
    # Before the new table replaces the previous build's: which old ids are gone, and what they became.
    alias_table = aliases.update(aliases.read_aliases(paths.PAIR_ALIASES), read_csv(paths.PAIRINGS), rows, merged)
    aliases.check(alias_table, set(ids))
    aliases.write_aliases(paths.PAIR_ALIASES, alias_table)
    write_csv(paths.PAIRINGS, PAIRING_COLUMNS, rows)
    write_date_sources(rows)
    write_csv(paths.PLACES, PLACE_COLUMNS, sorted(places.values(), key=lambda r: r["place_id"]))
    reports.write_conflicts(conflicts)
    reports.write_placements(rows, places)
    reports.write_matches(ties, units)
    for prob in problems:
        print("warning:", prob)
    return {"claims": len(english) + len(chinese), "pairings": len(rows), "places": len(places),
            "conflicts": len(conflicts), "aliases": sum(1 for a in alias_table.values() if a.new_id),
            "ids without successor": sum(1 for a in alias_table.values() if not a.new_id),
            "unplaced": sum(1 for r in rows if not (r["cn_place_id"] and r["partner_place_id"]))}


def _tie_row(tie: Tie, unit: Unit, provinces: dict[str, dict[str, str]],
             placed: dict[tuple[str, str, str], tuple[dict[str, str] | None, str]], places: dict[str, dict[str, str]],
             conflicts: list[Conflict], iso2_of: dict[str, str],
             place_fn: Callable[[str, str, str, str], dict[str, str] | None] | None = None) -> dict[str, str]:
    partner_en, partner_zh, level = choose_names(tie, "", [])
    label = _tie_label(unit, partner_en, partner_zh, tie.country)
    partner_en, partner_zh, level = choose_names(tie, label, conflicts)
    tie_type, tie_basis = choose_tie_type(tie, label, conflicts)
    date, date_source, date_note, _kind = choose_date(tie, label, conflicts, tie_type)
    status, status_date, status_source = choose_status(tie)
    # The partner's place: the first English claim's, else the Chinese-only tie's.
    place = None
    for c in sorted(tie.english_claims(), key=lambda c: (c.rank, c.origin)):
        lv = partner_level(c.partner_name_en, c.partner_level, c.partner_country_iso3)
        for key in ((c.partner_name_en, c.partner_country_iso3, lv if lv == "state" else ""),
                    (c.partner_name_en, c.partner_country_iso3, "zh")):
            if key in placed and placed[key][0]:
                place = placed[key][0]
                break
        if place:
            break
    if place is None:
        zc = tie.claims[0]
        place = placed.get((zc.partner_name_en or zc.partner_name_zh, tie.country, "zh"), (None, ""))[0]
    # The lists guessed levels from the name; a name that is exactly a first-level unit's in the seat table (and not
    # also its seat's) is that unit: 'Catalonia', 'Piedmont', '爱德华王子岛'.
    if level not in ("state", "county") and seat_says_state(partner_en, partner_zh, tie.country):
        level = "state"
    # A point inside the outline is only the fallback for a unit with no seat on file: the tie's own names (its
    # Chinese name may be in the seat table when the first English claim's was not) get another look first.
    at_seat = place is not None and place["precision"] == "region_capital"
    if (place is None or (level in ("state", "county") and not at_seat)) and place_fn is not None:
        # The tie's chosen name and level decide: a state the English list called a city is placed at its seat.
        again = place_fn(partner_en, partner_zh, tie.country, level)
        if again is not None:
            place = again
    if place:
        places.setdefault(place["place_id"], place)
    if level not in ("state", "city", "county"):
        level = "state" if place and place["precision"] in ("region_capital", "region_centre") else "unknown"
    if level == "state" and place and place["place_id"].startswith("area:") and partner_en and \
            loose(partner_en) == loose(place["name_en"]):
        partner_en = place["name_en"]  # one spelling per first-level unit: the seat table's ('Washington State')
    sources = []
    for c in sorted(tie.claims, key=lambda c: (c.rank, c.origin)):
        if c.source not in sources:
            sources.append(c.source)
    notes = []
    for c in tie.claims:
        notes += [n for n in c.notes if n not in notes]
    if unit.at_parent:
        notes.append("the Chinese unit is placed at its parent city (the gazetteer has no point for it)")
    if not partner_en:
        notes.append("English name of the partner not resolved; the Chinese name stands in")
    name_en = partner_en or partner_zh
    prov = provinces.get(unit.cn_province_en, {})
    key = (unit.key, tie.country, tie.partner_key)
    return {
        "pair_id": "P" + hashlib.sha1("|".join(key).encode("utf-8")).hexdigest()[:8],
        "cn_name_zh": unit.cn_name_zh, "cn_name_en": unit.cn_name_en, "cn_province_zh": prov.get("province_zh", ""),
        "cn_province_en": unit.cn_province_en, "cn_level": unit.cn_level,
        "cn_place_id": unit.place["place_id"] if unit.place else "", "partner_name_en": name_en,
        "partner_name_zh": partner_zh, "partner_country_iso3": tie.country, "partner_level": level,
        "partner_place_id": place["place_id"] if place else "", "established": date, "date_source": date_source,
        "date_note": date_note, "tie_type": tie_type, "tie_basis": tie_basis, "status": status,
        "status_date": status_date, "status_source": status_source, "source": " | ".join(sources),
        "note": "; ".join(notes),
    }


def _merge_same_place(rows: list[dict[str, str]], conflicts: list[Conflict],
                      merged: Merged | None = None) -> list[dict[str, str]]:
    """Two rows of one Chinese unit with one partner place at one level are one tie (a spelling the grouping did
    not join): the row with the better-ranked date source absorbs the other."""
    seen: dict[tuple[str, str, str, str, str], dict[str, str]] = {}
    dropped: set[str] = set()
    for r in rows:
        if not r["partner_place_id"] or r["partner_place_id"].startswith("sub:"):
            continue
        key = (r["cn_province_en"], r["cn_name_zh"] or r["cn_name_en"], r["partner_country_iso3"],
               r["partner_place_id"], r["partner_level"])
        if key in seen:
            kept = seen[key]
            if kept["partner_name_zh"] and r["partner_name_zh"] and \
                    zh_base(kept["partner_name_zh"]) != zh_base(r["partner_name_zh"]):
                continue  # two different partners the gazetteer put at one point: keep both
            _absorb(kept, r)
            dropped.add(r["pair_id"])
            _record(merged, r, kept, "one tie: both names resolve to the same place")
            conflicts.append(Conflict(_label(kept), "partner_name_en", kept["partner_name_en"],
                                      kept["source"].split(" | ")[0], r["partner_name_en"],
                                      r["source"].split(" | ")[0], "one tie: both names resolve to the same place"))
        else:
            seen[key] = r
    return [r for r in rows if r["pair_id"] not in dropped]


_FORM_WORDS = re.compile(r"\b(shire|regional municipality|municipality|city|town|district|gu|ku|si|gun|shi)\b")


def canonical_partner(name_en: str) -> tuple[str, str]:
    """(the partner's own name, its parent) without the forms spellings differ by: 'Seoul – Seocho',
    'Seocho-gu (Seoul)' and 'Seocho' are ('seocho', 'seoul'/''); 'Baw Baw Shire' and 'Baw Baw' are ('bawbaw', '');
    'Hitachi-ota' and 'Hitachiōta' are ('hitachiota', '')."""
    sub = _subunit(name_en)
    child, parent = sub if sub else (name_en, "")
    child = _FORM_WORDS.sub("", fold(child))
    return re.sub(r"[^a-z0-9]", "", child), re.sub(r"[^a-z0-9]", "", fold(parent))


def _merge_spellings(rows: list[dict[str, str]], conflicts: list[Conflict],
                     merged: Merged | None = None) -> list[dict[str, str]]:
    """One unit's partners in one country that differ only in how the name is written are one tie, when their
    levels do not disagree (a province and its capital city stay apart)."""
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        child, _ = canonical_partner(r["partner_name_en"])
        if child:
            unit = r["cn_name_zh"] or r["cn_name_en"]
            groups[(r["cn_province_en"], unit, r["partner_country_iso3"], child)].append(r)
    dropped: set[str] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        # The row with the most sources and a placed point keeps the tie.
        group = sorted(group, key=lambda r: (-len(r["source"].split(" | ")), not r["partner_place_id"], r["pair_id"]))
        kept = group[0]
        for r in group[1:]:
            levels = {kept["partner_level"], r["partner_level"]} - {"unknown"}
            parents = {canonical_partner(x["partner_name_en"])[1] for x in (kept, r)} - {""}
            zh = {zh_base(re.sub(r"^.+?(?:广域市|特别市|市)(?=.+区$)", "", x["partner_name_zh"]))
                  for x in (kept, r) if x["partner_name_zh"]}
            if len(levels) > 1 and levels != {"city", "county"} or len(parents) > 1 or len(zh) > 1:
                continue
            _absorb(kept, r)
            dropped.add(r["pair_id"])
            _record(merged, r, kept, "one tie: the names differ only in spelling")
            conflicts.append(Conflict(_label(kept), "partner_name_en", kept["partner_name_en"],
                                      kept["source"].split(" | ")[0], r["partner_name_en"],
                                      r["source"].split(" | ")[0], "one tie: the names differ only in spelling"))
    return [r for r in rows if r["pair_id"] not in dropped]


def _merge_namesake_units(rows: list[dict[str, str]], conflicts: list[Conflict],
                          merged: Merged | None = None) -> list[dict[str, str]]:
    """Two rows for one partner under namesake Chinese units (泰州 Jiangsu and 台州 Zhejiang are both 'Taizhou'):
    a row known only from English Wikipedia, whose province was guessed from the English name, joins the row a
    Chinese-side source gives, and the decision is recorded."""
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        base = fold(re.split(r"[,(]", r["cn_name_en"])[0])
        groups[(base, r["cn_level"], loose(r["partner_name_en"]), r["partner_country_iso3"])].append(r)
    dropped: set[str] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        wiki_only = [r for r in group if all(s == WIKI_EN for s in r["source"].split(" | "))]
        others = [r for r in group if r not in wiki_only]
        if len(others) == 1:
            kept = others[0]
            for r in wiki_only:
                kept["source"] += " | " + WIKI_EN if WIKI_EN not in kept["source"] else ""
                conflicts.append(Conflict(
                    f"{kept['cn_name_zh']} ({kept['cn_province_en']}) – {kept['partner_name_en']} "
                    f"({kept['partner_country_iso3']})", "cn_unit", f"{kept['cn_name_zh']} ({kept['cn_province_en']})",
                    kept["date_source"] or kept["source"].split(" | ")[0], f"{r['cn_name_zh']} ({r['cn_province_en']})",
                    WIKI_EN, "one tie: English Wikipedia's ambiguous English name joins the unit a Chinese-side or "
                             "official source names"))
                dropped.add(r["pair_id"])
                _record(merged, r, kept, "one tie: English Wikipedia's ambiguous English name joins the unit a "
                                         "Chinese-side or official source names")
    return [r for r in rows if r["pair_id"] not in dropped]


def _absorb(kept: dict[str, str], gone: dict[str, str]) -> None:
    for src in gone["source"].split(" | "):
        if src not in kept["source"].split(" | "):
            kept["source"] += " | " + src
    more_precise = gone["established"].startswith(kept["established"]) and \
        len(gone["established"]) > len(kept["established"])  # '1983' kept, '1983-03-21' gone: the same date
    if more_precise:
        kept["established"], kept["date_source"] = gone["established"], gone["date_source"]
    kept["partner_name_zh"] = kept["partner_name_zh"] or gone["partner_name_zh"]
    if kept["tie_type"] == "unknown" and gone["tie_type"] != "unknown":
        kept["tie_type"], kept["tie_basis"] = gone["tie_type"], gone["tie_basis"]


Merged = dict[str, tuple[str, str]]  # gone pair id -> (the id of the row that absorbed it, why)


def _record(merged: Merged | None, gone: dict[str, str], kept: dict[str, str], why: str) -> None:
    """Note which row absorbed which, so an old link to the gone row finds the kept one (data/pair_aliases.csv)."""
    if merged is not None and gone["pair_id"] != kept["pair_id"]:
        merged[gone["pair_id"]] = (kept["pair_id"], why)


def _label(r: dict[str, str]) -> str:
    return f"{r['cn_name_zh'] or r['cn_name_en']} ({r['cn_province_en']}) – {r['partner_name_en']} " \
           f"({r['partner_country_iso3']})"


def _merge_district_parent(rows: list[dict[str, str]], conflicts: list[Conflict],
                           merged: Merged | None = None) -> list[dict[str, str]]:
    """A district and its parent city (or municipality) listed for the same partner are one tie. Kept: the side
    the higher-ranked source names (a Chinese-side list or official page naming the district beats English
    Wikipedia naming the city); when both rest on such sources, both stay and the pair is reported."""
    by_unit: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for r in rows:
        key = (r["cn_province_en"], fold(r["cn_name_en"]), loose(r["partner_name_en"]), r["partner_country_iso3"])
        by_unit[key] = r
    dropped: set[str] = set()
    for r in rows:
        m = _PARENT_RE.match(r["cn_name_en"])
        if r["cn_level"] not in ("district", "county") or not m:
            continue
        parent = by_unit.get((r["cn_province_en"], fold(m.group("parent")), loose(r["partner_name_en"]),
                              r["partner_country_iso3"]))
        if parent is None or parent["pair_id"] in dropped:
            continue
        parent_wiki = all(src == WIKI_EN for src in parent["source"].split(" | "))
        district_wiki = all(src == WIKI_EN for src in r["source"].split(" | "))
        if parent_wiki and not district_wiki:
            _absorb(r, parent)
            dropped.add(parent["pair_id"])
            decision = "one tie, kept under the district a Chinese-side or official source names"
            _record(merged, parent, r, decision)
        elif district_wiki and not parent_wiki:
            _absorb(parent, r)
            dropped.add(r["pair_id"])
            decision = "one tie, kept under the city a Chinese-side or official source names"
            _record(merged, r, parent, decision)
        else:
            decision = "both kept: sources of the same class name the district and the city; check by hand"
        conflicts.append(Conflict(_label(r), "cn_unit", r["cn_name_en"], r["source"].split(" | ")[0],
                                  parent["cn_name_en"], parent["source"].split(" | ")[0], decision))
    return [r for r in rows if r["pair_id"] not in dropped]


def _decision_key(r: dict[str, str]) -> tuple[str, str, str, str]:
    """How a hand decision names a pairing (a pairing row and a decision row share these columns)."""
    return r["cn_name_en"], r["cn_province_en"], r["partner_name_en"], r["partner_country_iso3"]


def _apply_tie_decisions(rows: list[dict[str, str]], conflicts: list[Conflict],
                         merged: Merged | None = None) -> list[dict[str, str]]:
    """Hand decisions on double counts (data/raw/tie_decisions.csv), each with its evidence."""
    index = {_decision_key(r): r for r in rows}
    dropped: set[str] = set()
    for d in read_csv(paths.RAW / "tie_decisions.csv"):
        gone = index.get(_decision_key(d))
        # The surviving row may spell the partner its own way ('Wurselen'); into_partner_name_en names it then.
        into_partner = d.get("into_partner_name_en") or d["partner_name_en"]
        # and into_country_iso3 its country, when a source filed the partner under another one.
        into_country = d.get("into_country_iso3") or d["partner_country_iso3"]
        kept = index.get((d["into_cn_name_en"], d["cn_province_en"], into_partner, into_country))
        if gone is None or kept is None:
            raise AssertionError(f"tie_decisions.csv: {d['cn_name_en']} – {d['partner_name_en']} or its target is "
                                 "not in the data (remove or update the decision)")
        _absorb(kept, gone)
        dropped.add(gone["pair_id"])
        _record(merged, gone, kept, f"tie_decisions.csv: {d['reason']}")
        conflicts.append(Conflict(_label(kept), "cn_unit", kept["cn_name_en"], kept["source"].split(" | ")[0],
                                  gone["cn_name_en"], WIKI_EN, f"one tie: {d['reason']}"))
    return [r for r in rows if r["pair_id"] not in dropped]


def _apply_date_decisions(rows: list[dict[str, str]], conflicts: list[Conflict]) -> None:
    """Hand decisions between two dates of one tie (data/raw/date_decisions.csv), where the precedence of sources
    keeps a date that other sources agree against. Only a date some source of the tie gives can be chosen; the
    date set aside stays in the row's note and in the conflicts."""
    index = {_decision_key(r): r for r in rows}
    for d in read_csv(paths.RAW / "date_decisions.csv"):
        row = index.get(_decision_key(d))
        if row is None:
            raise AssertionError(f"date_decisions.csv: {d['cn_name_en']} – {d['partner_name_en']} is not in the data")
        label = _label(row)
        given = [c for c in conflicts if c.tie == label and c.field == "date" and c.other == d["date"]]
        if not given:
            raise AssertionError(f"date_decisions.csv: no source of {label} gives {d['date']}")
        old, old_source = row["established"], row["date_source"]
        row["established"], row["date_source"] = d["date"], given[0].other_source
        row["date_note"] = f"{old} per {old_source}, set aside: {d['reason']}"
        conflicts.append(Conflict(label, "date", d["date"], given[0].other_source, old, old_source,
                                  f"decision: {d['reason']}"))


def _merge_unresolved(rows: list[dict[str, str]], merged: Merged | None = None) -> list[dict[str, str]]:
    """A row whose Chinese side stayed ambiguous (no province) joins the one resolved row with the same English
    name and partner, when another source settled which place it is; otherwise it stays, listed as unplaced."""
    resolved: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if r["cn_province_en"]:
            resolved[(fold(re.split(r"[,(]", r["cn_name_en"])[0]), loose(r["partner_name_en"]),
                      r["partner_country_iso3"])].append(r)
    out = []
    for r in rows:
        if not r["cn_province_en"]:
            hits = resolved.get((fold(re.split(r"[,(]", r["cn_name_en"])[0]), loose(r["partner_name_en"]),
                                 r["partner_country_iso3"]), [])
            if len(hits) == 1:
                _absorb(hits[0], r)
                _record(merged, r, hits[0], "one tie: the province another source gives")
                continue
        out.append(r)
    return out


if __name__ == "__main__":
    print(build())
