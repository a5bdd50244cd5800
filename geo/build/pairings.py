"""Build data/pairings.csv and data/places.csv from the immutable inputs in data/raw/.

Steps: read the candidate list and the dated research rows; repair the candidate list's known faults (districts,
the four municipalities, ambiguous names, levels); resolve both ends of every pairing to a place; merge pairs
listed twice; attach dates with their sources; write both tables sorted, so a rebuild is byte-for-byte stable.
Nothing is dropped: a pairing whose end cannot be placed keeps an empty place id and is listed by the coverage
command.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from geo import paths
from geo.build.countries import iso3_for_country_name
from geo.build.gazetteer import Gazetteer, gazetteer
from geo.names import fold, loose
from geo.schema import PAIRING_COLUMNS, PLACE_COLUMNS

_NOT_CHINESE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3040-\u30ff]")
MUNICIPALITIES = {"Beijing", "Tianjin", "Shanghai", "Chongqing"}
WIKI_SOURCE = "English Wikipedia, 'List of twin towns and sister cities in …' pages (scraped 2026-02)"



def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def load_provinces() -> dict[str, dict[str, str]]:
    return {row["province_en"]: row for row in read_csv(paths.PROVINCES)}


@dataclass
class Pairing:
    cn_name_zh: str
    cn_name_en: str
    cn_province_en: str
    cn_level: str
    partner_name_en: str
    partner_name_zh: str
    partner_country_iso3: str
    partner_level: str
    sources: list[str] = field(default_factory=list)
    dates: list[tuple[str, str, str]] = field(default_factory=list)  # (date, tie_type, source)
    tie_types: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cn_place_id: str = ""
    partner_place_id: str = ""
    partner_is_region: bool = False


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


def place_cn(gaz: Gazetteer, p: Pairing, provinces: dict[str, dict[str, str]]) -> tuple[dict[str, str] | None, str]:
    """Place the Chinese side; returns (place row, problem)."""
    prov = provinces.get(p.cn_province_en)
    if prov is None:
        return None, f"unknown province {p.cn_province_en!r}"
    if p.cn_level == "province":
        return {
            "place_id": f"cnprov:{p.cn_province_en}", "side": "cn", "name_en": p.cn_province_en,
            "name_zh": prov["province_zh"], "country_iso3": "CHN", "province_en": p.cn_province_en,
            "lat": prov["lat"], "lon": prov["lon"], "precision": "province_capital", "geonames_id": "",
            "note": "province-level unit placed at its capital",
        }, ""
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
    hit = hit or gaz.find_cn("", bare_en, p.cn_province_en)
    precision, note = "city", ""
    if hit is None and m:
        parent = m.group("parent")
        hit = gaz.find(parent, "CN", None)
        precision, note = "parent_city", f"district placed at its parent city {parent}"
    if hit is None:
        return None, "no gazetteer match for the Chinese side"
    return {
        "place_id": f"gn:{hit.geonameid}", "side": "cn", "name_en": hit.name, "name_zh": "",
        "country_iso3": "CHN", "province_en": p.cn_province_en, "lat": f"{hit.lat:.4f}", "lon": f"{hit.lon:.4f}",
        "precision": precision, "geonames_id": str(hit.geonameid), "note": note,
    }, ""


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
        sub = _subunit(name_en) if hit is None else None
        if sub:
            child, parent = sub
            for form in (child, f"{child}-gu", f"{child}-ku", f"{child} District"):
                hit = gaz.find(form, iso2)
                if hit:
                    break
            if hit is None:
                hit = gaz.find(parent, iso2)
                precision, note = "parent_city", f"district placed at its parent city {parent}"
    if hit is None:
        return None, "no gazetteer match for the partner"
    return {
        "place_id": f"gn:{hit.geonameid}", "side": "partner", "name_en": hit.name, "name_zh": "",
        "country_iso3": iso3, "province_en": "", "lat": f"{hit.lat:.4f}", "lon": f"{hit.lon:.4f}",
        "precision": precision, "geonames_id": str(hit.geonameid), "note": note,
    }, ""


# --- Assembly -----------------------------------------------------------------------------------------------

def _pair_key(p: Pairing) -> tuple[str, str, str]:
    cn = p.cn_place_id if p.cn_level != "district" else f"{p.cn_name_zh or fold(p.cn_name_en)}"
    cn = cn or fold(p.cn_name_en)
    if p.cn_level == "province":
        cn = f"cnprov:{p.cn_province_en}"
    partner = p.partner_place_id or fold(p.partner_name_en)
    # A region placed at its capital and that capital city are different partners sharing one point. The
    # lists' own state/city guesses are not trusted here: they split one pairing (Beijing–Tokyo) in two.
    region = p.partner_is_region or (not p.partner_place_id and p.partner_level == "state")
    return cn, f"{partner}|{'state' if region else 'local'}", p.partner_country_iso3


def _merge_into(kept: Pairing, p: Pairing) -> None:
    kept.sources += [s for s in p.sources if s not in kept.sources]
    kept.dates += p.dates
    kept.tie_types += p.tie_types
    kept.notes += [n for n in p.notes if n not in kept.notes]
    kept.cn_name_zh = kept.cn_name_zh or p.cn_name_zh
    kept.partner_name_zh = kept.partner_name_zh or p.partner_name_zh
    if kept.partner_level == "unknown":
        kept.partner_level = p.partner_level


def _base_name(name_en: str) -> str:
    """'Taizhou, Jiangsu' and 'Taizhou (Jiangsu)' -> 'taizhou'."""
    return fold(re.split(r"[,(]", name_en)[0])


def _merge_ambiguous(merged: dict[tuple[str, str, str], Pairing]) -> None:
    """A row whose Chinese side stayed ambiguous (no province) joins the one resolved pairing with the same
    English name and partner, when another source settled which place it is."""
    by_name: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for key, p in merged.items():
        if p.cn_province_en:
            by_name[(_base_name(p.cn_name_en), key[1], key[2])].append(key)
    for key, p in list(merged.items()):
        if p.cn_province_en:
            continue
        matches = by_name.get((_base_name(p.cn_name_en), key[1], key[2]), [])
        if len(matches) == 1:
            _merge_into(merged[matches[0]], p)
            del merged[key]


def pair_id(key: tuple[str, str, str]) -> str:
    return "P" + hashlib.sha1("|".join(key).encode("utf-8")).hexdigest()[:8]


def _date_precision_rank(date: str) -> int:
    return len(date)


def choose_date(p: Pairing) -> tuple[str, str, str]:
    """Pick one date among the sources, preferring formal ties and the most precise date; note the rest."""
    if not p.dates:
        return "", "", ""
    ranked = sorted(p.dates, key=lambda d: (d[1] != "formal", d[2].startswith(WIKI_SOURCE),
                                            -_date_precision_rank(d[0])))
    best = ranked[0]
    others = sorted({d[0] for d in p.dates if not best[0].startswith(d[0]) and not d[0].startswith(best[0])})
    note = f"other sources give {', '.join(others)}" if others else ""
    return best[0], best[2], note


def build() -> dict[str, int]:
    gaz = gazetteer()
    provinces = load_provinces()
    iso2_of = {row["iso3"]: row["iso2"] for row in read_csv(paths.COUNTRIES)}
    name_fixes = {(r["cn_name_en"], r["partner_name_en"], r["partner_country_en"]): r
                  for r in read_csv(paths.RAW_NAME_FIXES)}
    place_fixes = {(fold(r["name_en"]), r["country_iso3"]): r for r in read_csv(paths.RAW_PLACE_FIXES)}

    raw: list[Pairing] = []
    problems: list[str] = []
    for n, r in enumerate(read_csv(paths.RAW_CANDIDATES), start=2):
        fix = name_fixes.get((r["cn_name_en"], r["partner_name_en"], r["partner_country_en"]))
        name_en, name_zh, province, level = r["cn_name_en"], r["cn_name_zh"], r["cn_province_en"], r["cn_level"]
        if fix:
            name_en, name_zh, province = fix["cn_name_en_fixed"] or name_en, fix["cn_name_zh"], fix["cn_province_en"]
            level = fix["cn_level"] or level
        iso3 = iso3_for_country_name(r["partner_country_en"]) or ""
        name_en, name_zh, level = normalise_cn_side(name_en, name_zh, province, level)
        p = Pairing(name_zh, name_en, province, level, r["partner_name_en"], "", iso3,
                    partner_level(r["partner_name_en"], r["partner_level"], iso3))
        source = r["source"].replace("English Wikipedia twin-town lists (scraped 2026-02)", WIKI_SOURCE)
        p.sources.append(source)
        if fix:
            p.notes.append(f"Chinese side identified from {fix['source_outlet']}")
        if r["date"]:
            p.dates.append((r["date"], "formal", source))
        if not iso3:
            problems.append(f"candidate row {n}: country {r['partner_country_en']!r} not recognised")
        raw.append(p)

    for r in read_csv(paths.RAW_DATED) + read_csv(paths.RAW / "dates_extra.csv"):
        iso3 = iso3_for_country_name(r["partner_country_en"]) or ""
        outlet = r["source_outlet"] + (f" ({r['source_url']})" if r.get("source_url") else "")
        name_en, name_zh, level = normalise_cn_side(r["cn_name_en"], r["cn_name_zh"], r["cn_province_en"],
                                                    "province" if r["cn_name_zh"].endswith(("省", "自治区")) else "")
        partner_zh = r.get("partner_name_zh", "")
        if _NOT_CHINESE.search(partner_zh):
            # Some research rows give the partner's own-language name (Hangul, kana): not a Chinese name.
            partner_zh = ""
        p = Pairing(name_zh, name_en, r["cn_province_en"], level, r["partner_name_en"], partner_zh,
                    iso3, "state" if re.search(r"(州|省|道|县|府|地区|大区|邦)$", r.get("partner_name_zh", "")) and
                    not r.get("partner_name_zh", "").endswith("市") else "city")
        p.sources.append(outlet)
        p.dates.append((r["date"], r["tie_type"] or "unknown", outlet))
        p.tie_types.append(r["tie_type"] or "unknown")
        if r.get("note"):
            p.notes.append(r["note"])
        raw.append(p)

    raw += case_pairings(raw)

    places: dict[str, dict[str, str]] = {}
    unplaced_reasons: dict[int, str] = {}
    for i, p in enumerate(raw):
        cn_place, problem = place_cn(gaz, p, provinces)
        if cn_place:
            p.cn_place_id = cn_place["place_id"]
            places.setdefault(cn_place["place_id"], cn_place)
        iso2 = iso2_of.get(p.partner_country_iso3, "")
        partner_place, problem2 = place_partner(gaz, p.partner_name_en, p.partner_country_iso3, iso2, place_fixes)
        if partner_place:
            p.partner_place_id = partner_place["place_id"]
            p.partner_is_region = partner_place["precision"] == "region_capital"
            places.setdefault(partner_place["place_id"], partner_place)
        if problem or problem2:
            unplaced_reasons[i] = "; ".join(x for x in (problem, problem2) if x)

    merged: dict[tuple[str, str, str], Pairing] = {}
    for p in raw:
        key = _pair_key(p)
        if key not in merged:
            merged[key] = p
            continue
        _merge_into(merged[key], p)

    _merge_ambiguous(merged)
    rows = []
    for key, p in merged.items():
        date, date_source, date_note = choose_date(p)
        ties = set(p.tie_types)
        tie = "formal" if "formal" in ties or not ties else ("exchange" if "exchange" in ties else "unknown")
        prov = provinces.get(p.cn_province_en, {})
        rows.append({
            "pair_id": pair_id(key), "cn_name_zh": p.cn_name_zh, "cn_name_en": p.cn_name_en,
            "cn_province_zh": prov.get("province_zh", ""), "cn_province_en": p.cn_province_en,
            "cn_level": p.cn_level, "cn_place_id": p.cn_place_id, "partner_name_en": p.partner_name_en,
            "partner_name_zh": p.partner_name_zh, "partner_country_iso3": p.partner_country_iso3,
            "partner_level": p.partner_level, "partner_place_id": p.partner_place_id, "established": date,
            "date_source": date_source, "date_note": date_note, "tie_type": tie,
            "source": " | ".join(p.sources), "note": "; ".join(p.notes),
        })
    rows.sort(key=lambda r: (r["cn_province_en"], r["cn_name_en"], r["partner_country_iso3"], r["partner_name_en"],
                             r["pair_id"]))
    ids = [r["pair_id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise AssertionError("pair_id collision")

    _fill_chinese_names(rows, places)
    write_csv(paths.PAIRINGS, PAIRING_COLUMNS, rows)
    write_date_sources(rows)
    write_csv(paths.PLACES, PLACE_COLUMNS, sorted(places.values(), key=lambda r: r["place_id"]))
    for prob in problems:
        print("warning:", prob)
    return {"raw_rows": len(raw), "pairings": len(rows), "places": len(places),
            "unplaced": sum(1 for r in rows if not (r["cn_place_id"] and r["partner_place_id"]))}


BOOK = "《城市外交：理论与实践》 (2016)"


def case_pairings(existing: list[Pairing]) -> list[Pairing]:
    """Pairings named by the book's case studies that the lists lack, sourced to the book.

    The book is itself a source for the pairing's existence; dates come only from the case file's sourced facts.
    """
    import yaml

    known = {(loose(p.cn_name_en), loose(p.partner_name_en), p.partner_country_iso3) for p in existing}
    added = []
    for case in yaml.safe_load(paths.CASES.read_text(encoding="utf-8")):
        if case["kind"] != "pairing":
            continue
        key = (loose(case["cn_name_en"]), loose(case["partner_name_en"]), case["partner_country_iso3"])
        source = f"{BOOK}, case {case['number']} (p. {case['book_page']})"
        if key in known:
            continue
        p = Pairing(case["cn_name_zh"], case["cn_name_en"], case["cn_province_en"], case["cn_level"],
                    case["partner_name_en"], case.get("partner_name_zh", ""), case["partner_country_iso3"],
                    case["partner_level"])
        p.sources.append(source)
        if case.get("established") and case.get("date_status") == "confirmed":
            p.dates.append((str(case["established"]), "formal", f"data/cases.yaml, case {case['number']}"))
        if case.get("verification") == "per_book":
            p.notes.append("per the book only; not independently confirmed")
        added.append(p)
    return added


def _fill_chinese_names(rows: list[dict[str, str]], places: dict[str, dict[str, str]]) -> None:
    """Give each place the Chinese name its pairings use, so the map can label it in Chinese."""
    zh_by_place: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["cn_place_id"] and r["cn_name_zh"] and r["cn_level"] != "district":
            zh_by_place[r["cn_place_id"]].add(r["cn_name_zh"])
        if r["partner_place_id"] and r["partner_name_zh"]:
            zh_by_place[r["partner_place_id"]].add(r["partner_name_zh"])
    for pid, names in zh_by_place.items():
        if pid in places and not places[pid]["name_zh"]:
            places[pid]["name_zh"] = min(names, key=lambda n: (len(n), n))


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


if __name__ == "__main__":
    print(build())
