"""Importers for pairing lists a user brings (their own CSV, the official registry's JSON), and the shared engine.

Both importers turn each input row into a `Record`; `merge_records` then matches both ends to known places,
merges rows that are already in the dataset, adds new ones with `U…` ids, and writes one report row per input
row (imported, merged, unplaced or rejected, with the reason). `to_atlas` joins the result into a session-only
`Atlas`; the embedded files are never written.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd

from geo import affinity, paths
from geo._validate import AtlasDataError, parse_date
from geo.i18n import t
from geo.load import Atlas, enrich, read_table
from geo.names import fold, strip_cn_suffix
from geo.schema import CN_LEVELS, PAIRING_COLUMNS, PARTNER_LEVELS, TIE_TYPES
from geo.sources.report import ImportResult, ReportRow

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
CHINA_TZ = timezone(timedelta(hours=8))  # registry timestamps are read as Beijing time

_CJK = re.compile(r"[\u3400-\u9fff]")
_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$")
_PARTNER_SUFFIX = re.compile(r"(?:市|州|省|县|郡|区)$")
_ZH_DATE = re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日?)?)?$")
_SEP_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?"
                       r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")

# Common country names that differ from data/countries.csv's (CLDR) names; mapped only if the code is known.
COUNTRY_ALIASES = {
    "usa": "USA", "us": "USA", "u s a": "USA", "united states of america": "USA", "america": "USA",
    "美利坚合众国": "USA", "uk": "GBR", "great britain": "GBR", "britain": "GBR", "england": "GBR",
    "大不列颠及北爱尔兰联合王国": "GBR", "korea": "KOR", "republic of korea": "KOR", "korea republic of": "KOR",
    "大韩民国": "KOR", "南韩": "KOR", "dprk": "PRK", "democratic people s republic of korea": "PRK",
    "朝鲜民主主义人民共和国": "PRK", "russian federation": "RUS", "俄罗斯联邦": "RUS", "viet nam": "VNM",
    "越南社会主义共和国": "VNM", "lao pdr": "LAO", "老挝人民民主共和国": "LAO", "czech republic": "CZE",
    "捷克共和国": "CZE", "turkey": "TUR", "holland": "NLD", "the netherlands": "NLD", "iran islamic republic of": "IRN",
    "cote d ivoire": "CIV", "ivory coast": "CIV", "burma": "MMR", "缅甸联邦": "MMR", "日本国": "JPN",
    "澳洲": "AUS", "纽西兰": "NZL", "蒙古国": "MNG", "德意志联邦共和国": "DEU", "法兰西共和国": "FRA",
    "意大利共和国": "ITA", "西班牙王国": "ESP", "泰王国": "THA", "马来西亚联邦": "MYS",
}


@dataclass
class Record:
    """One input row, as the importers read it; every field is raw text (the date may be a number)."""

    row: int
    cn_zh: str = ""
    cn_en: str = ""
    cn_province: str = ""
    cn_level: str = ""
    partner_zh: str = ""
    partner_en: str = ""
    partner_level: str = ""
    country: str = ""
    date: Any = ""
    date_source: str = ""
    tie_type: str = ""
    source: str = ""
    note: str = ""
    problems: list[str] = field(default_factory=list)
    reject: str = ""


@dataclass(frozen=True)
class _Cn:
    zh: str
    en: str
    prov_zh: str
    prov_en: str
    level: str
    place_id: str


@dataclass(frozen=True)
class _Partner:
    en: str
    zh: str
    level: str
    place_id: str


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def clean(value: Any) -> str:
    """Any cell value as trimmed text ('' for None/NaN); full-width forms are normalised (NFKC)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def province_short(name_zh: str) -> str:
    """'江苏省' -> '江苏', '广西壮族自治区' -> '广西'."""
    return _PROVINCE_SUFFIX.sub("", name_zh) or name_zh


def _cn_keys(name: str) -> list[str]:
    name = clean(name)
    if not name:
        return []
    keys = [fold(name)]
    if has_cjk(name):
        keys += [fold(strip_cn_suffix(name)), fold(province_short(name))]
    return [k for k in dict.fromkeys(keys) if k]


def _partner_keys(name: str) -> list[str]:
    name = clean(name)
    if not name:
        return []
    keys = [fold(name)]
    if has_cjk(name):
        keys.append(fold(_PARTNER_SUFFIX.sub("", name) or name))
    return [k for k in dict.fromkeys(keys) if k]


def _timestamp_date(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, CHINA_TZ).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return ""


def normalise_date(value: Any) -> tuple[str, str]:
    """A date in any form the importers accept -> ('YYYY[-MM[-DD]]', '') or ('', reason).

    Accepted: '1979', '1979-11', '1979-11-05' (with or without a time), 1979/11/5, 1979.11, 1979年11月(5日),
    19791105 (text or number) and Unix timestamps in seconds or milliseconds (read as Beijing time).
    """
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "", ""
    if isinstance(value, bool):
        return "", f"{value!r} is not a date"
    text = clean(value)
    if not text:
        return "", ""
    candidate = ""
    number: int | None = None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isinf(value) or value != int(value)):
            return "", f"{text!r} is not a date"
        number = int(value)
    elif re.fullmatch(r"\d{5,14}(?:\.0+)?", text):
        number = int(text.split(".")[0])
    if number is not None:
        digits = str(abs(number))
        if 1000 <= number <= 9999:
            candidate = str(number)
        elif len(digits) == 8 and digits[:2] in ("19", "20"):
            candidate = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        elif 10**8 <= number < 10**10:
            candidate = _timestamp_date(number)
        elif 10**11 <= number < 10**13:
            candidate = _timestamp_date(number / 1000)
        if not candidate:
            return "", f"{text!r} is not a date"
    else:
        m = _ZH_DATE.match(text) or _SEP_DATE.match(text)
        if not m:
            return "", f"{text[:40]!r} is not a date this importer understands (e.g. 1979-11-05, 1979/11/5, 1979年11月)"
        y, mo, d = m.group(1), m.group(2), m.group(3)
        candidate = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
    try:
        parse_date(candidate)
    except ValueError as exc:
        return "", str(exc)
    return candidate, ""


class Matcher:
    """Indexes the dataset's countries, Chinese places, partner places and existing pairings by name."""

    def __init__(self, atlas: Atlas) -> None:
        self.place_ids = set(atlas.places["place_id"])
        self.countries: dict[str, str] = {}
        for r in atlas.countries.to_dict("records"):
            iso3 = str(r["iso3"])
            self.countries[iso3.lower()] = iso3
            if r.get("iso2"):
                self.countries.setdefault(str(r["iso2"]).lower(), iso3)
            for name in (r.get("name_en", ""), r.get("name_zh", "")):
                if name:
                    self.countries.setdefault(fold(clean(name)), iso3)
        known = set(atlas.countries["iso3"])
        for alias, iso3 in COUNTRY_ALIASES.items():
            if iso3 in known:
                self.countries.setdefault(fold(alias), iso3)

        self.provinces: dict[str, tuple[str, str]] = {}
        self.cn: dict[str, list[_Cn]] = {}
        for r in atlas.provinces.to_dict("records"):
            zh, en = str(r["province_zh"]), str(r["province_en"])
            for key in {fold(zh), fold(en), fold(province_short(zh))}:
                self.provinces[key] = (zh, en)
            pid = f"cnprov:{en}"
            self._add_cn(_Cn(zh, en, zh, en, "province", pid if pid in self.place_ids else ""))
        pairs = atlas.pairings
        cn_cols = ["cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "cn_level", "cn_place_id"]
        for values in pairs[cn_cols].drop_duplicates().itertuples(index=False):
            self._add_cn(_Cn(*(str(v) for v in values)))
        for r in atlas.places[atlas.places["side"] == "cn"].to_dict("records"):
            prov = self.provinces.get(fold(str(r.get("province_en", ""))), ("", ""))
            level = "province" if str(r["place_id"]).startswith("cnprov:") else guess_cn_level(str(r["name_zh"]))
            self._add_cn(_Cn(str(r["name_zh"]), str(r["name_en"]), prov[0], prov[1], level, str(r["place_id"])))

        self.partners: dict[tuple[str, str], list[_Partner]] = {}
        p_cols = ["partner_name_en", "partner_name_zh", "partner_country_iso3", "partner_level", "partner_place_id"]
        for en, zh, iso3, level, pid in pairs[p_cols].drop_duplicates().itertuples(index=False):
            self._add_partner(str(iso3), _Partner(str(en), str(zh), str(level), str(pid)))
        for r in atlas.places[atlas.places["side"] == "partner"].to_dict("records"):
            self._add_partner(str(r["country_iso3"]), _Partner(str(r["name_en"]), str(r["name_zh"]), "city",
                                                               str(r["place_id"])))

    def _add_cn(self, info: _Cn) -> None:
        for name in (info.zh, info.en):
            for key in _cn_keys(name):
                bucket = self.cn.setdefault(key, [])
                if info not in bucket:
                    bucket.append(info)

    def _add_partner(self, iso3: str, info: _Partner) -> None:
        for name in (info.en, info.zh):
            for key in _partner_keys(name):
                bucket = self.partners.setdefault((key, iso3), [])
                if info not in bucket:
                    bucket.append(info)

    def country(self, value: str) -> str:
        """ISO3 code for a code or an English/Chinese country name; '' if unknown."""
        value = clean(value)
        return self.countries.get(value.lower()) or self.countries.get(fold(value), "") if value else ""

    def province(self, value: str) -> tuple[str, str]:
        value = clean(value)
        return self.provinces.get(fold(value), ("", "")) if value else ("", "")

    def match_cn(self, names: list[str], province: str, level: str, lang: str) -> tuple[_Cn | None, str]:
        """The one known Chinese place these names denote, or (None, reason)."""
        found: list[_Cn] = []
        for name in names:
            for key in _cn_keys(name):
                found += [c for c in self.cn.get(key, []) if c not in found]
        label = " / ".join(n for n in names if n)
        if not found:
            return None, t("imp_cn_unknown", lang, name=label)
        prov = self.province(province)
        if prov[1]:
            found = [c for c in found if c.prov_en == prov[1] or (not c.prov_en and c.level != "province")] or []
        if level in CN_LEVELS:
            found = [c for c in found if c.level == level] or found
        if not found:
            return None, t("imp_cn_unknown", lang, name=f"{label} ({province})")
        places = {c.place_id for c in found if c.place_id}
        if len(places) > 1:
            # An exact Chinese name beats a shortened one: '北京市' is the municipality, not a district '北京'.
            exact = [c for c in found if c.zh and clean(c.zh) in names]
            if len({c.place_id for c in exact if c.place_id}) == 1:
                found = exact
            else:
                options = "; ".join(sorted({f"{c.zh or c.en} ({c.prov_zh or c.prov_en}, {c.level})" for c in found}))
                return None, t("imp_cn_ambiguous", lang, name=label, options=options[:200])
        # Prefer the entry with a place, then the most complete one.
        best = sorted(found, key=lambda c: (not c.place_id, not c.zh, not c.en, not c.prov_en))[0]
        return best, ""

    def match_partner(self, names: list[str], iso3: str, lang: str) -> tuple[_Partner | None, str]:
        found: list[_Partner] = []
        for name in names:
            for key in _partner_keys(name):
                found += [p for p in self.partners.get((key, iso3), []) if p not in found]
        label = " / ".join(n for n in names if n)
        if not found:
            return None, t("imp_partner_unknown", lang, name=label, country=iso3)
        places = {p.place_id for p in found if p.place_id}
        if len(places) > 1:
            options = "; ".join(sorted({f"{p.en or p.zh} ({p.level})" for p in found}))
            return None, t("imp_partner_ambiguous", lang, name=label, options=options[:200])
        return sorted(found, key=lambda p: (not p.place_id, not p.en, not p.zh))[0], ""


def guess_cn_level(name: str) -> str:
    """Level from the name's form: 省/自治区 -> province, 县/旗 -> county, 区 -> district, else prefecture."""
    name = clean(name)
    low = name.lower()
    if re.search(r"(省|自治区|特别行政区)$", name) or low.endswith(" province"):
        return "province"
    if re.search(r"(县|旗)$", name) or low.endswith(" county"):
        return "county"
    if re.search(r"区$", name) or low.endswith(" district"):
        return "district"
    return "prefecture"


def tie_type(value: str) -> str:
    """'formal'/'exchange'/'unknown' from English or Chinese wording; '' if the value is not understood."""
    v = clean(value).lower()
    if not v:
        return ""
    if v in TIE_TYPES:
        return v
    if "交流" in v or "合作" in v or "exchange" in v or "friendship" in v and "city" not in v:
        return "exchange"
    if "友好城市" in v or "友城" in v or "姊妹" in v or "姐妹" in v or "正式" in v or "sister" in v or "twin" in v:
        return "formal"
    return ""


def _pair_keys(cn_names: list[str], partner_names: list[str], iso3: str, cn_place: str, partner_place: str
               ) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if cn_place and partner_place:
        keys.append(("id", cn_place, partner_place))
    cn_keys = {k for n in cn_names for k in _cn_keys(n)}
    p_keys = {k for n in partner_names for k in _partner_keys(n)}
    keys += [("name", a, b, iso3) for a in sorted(cn_keys) for b in sorted(p_keys)]
    return keys


def _row_keys(row: dict[str, str]) -> list[tuple[str, ...]]:
    return _pair_keys([row["cn_name_zh"], row["cn_name_en"]], [row["partner_name_en"], row["partner_name_zh"]],
                      row["partner_country_iso3"], row["cn_place_id"], row["partner_place_id"])


def base_table(atlas: Atlas) -> pd.DataFrame:
    """The atlas's pairings reduced to the pairings.csv schema (strings, '' for empty)."""
    df = atlas.pairings.copy()
    for col in PAIRING_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[PAIRING_COLUMNS].astype(str).replace({"nan": "", "<NA>": ""}).reset_index(drop=True)


def _merge_into(row: dict[str, str], rec_date: str, rec: Record, cn: _Cn | None, lang: str) -> str:
    """Fill the gaps of an existing row from an imported one; returns what changed, for the report."""
    changes = [t("imp_merged", lang, pid=row["pair_id"])]
    if rec_date and not row["established"]:
        row["established"] = rec_date
        row["date_source"] = rec.date_source or rec.source
        changes.append(t("imp_added_date", lang, date=rec_date))
    elif rec_date and row["established"] != rec_date:
        changes.append(t("imp_date_differs", lang, old=row["established"], new=rec_date))
    if rec.source and rec.source not in [part.strip() for part in row["source"].split(" | ")]:
        row["source"] = f"{row['source']} | {rec.source}" if row["source"] else rec.source
        changes.append(t("imp_added_source", lang))
    if not row["cn_name_zh"] and (cn and cn.zh or rec.cn_zh):
        row["cn_name_zh"] = cn.zh if cn and cn.zh else rec.cn_zh
    if not row["partner_name_zh"] and rec.partner_zh:
        row["partner_name_zh"] = rec.partner_zh
    return "; ".join(changes)


def merge_records(records: list[Record], atlas: Atlas, *, file: str, encoding: str, lang: str = "en"
                  ) -> ImportResult:
    """Match, merge and add `records` to the atlas's pairings; one report row per record, never raises."""
    matcher = Matcher(atlas)
    rows: list[dict[str, str]] = [{str(k): str(v) for k, v in r.items()}
                                  for r in base_table(atlas).to_dict("records")]
    index: dict[tuple[str, ...], int] = {}
    for n, row in enumerate(rows):
        for key in _row_keys(row):
            index.setdefault(key, n)
    existing = len(rows)
    ids = {r["pair_id"] for r in rows}
    report: list[ReportRow] = []

    for rec in records:
        reason = rec.reject
        partner_names = [n for n in (clean(rec.partner_en), clean(rec.partner_zh)) if n]
        cn_names = [n for n in (clean(rec.cn_zh), clean(rec.cn_en)) if n]
        iso3 = ""
        if not reason:
            if not partner_names:
                reason = t("imp_no_partner", lang)
            elif not cn_names:
                reason = t("imp_no_cn", lang)
            elif not clean(rec.country):
                reason = t("imp_no_country", lang)
            elif not (iso3 := matcher.country(rec.country)):
                reason = t("imp_bad_country", lang, value=clean(rec.country)[:60])
            elif not clean(rec.source):
                reason = t("imp_no_source", lang)
        if reason:
            report.append(ReportRow(rec.row, "rejected", "; ".join([reason, *rec.problems])))
            continue
        rec.source = clean(rec.source)
        date, date_problem = normalise_date(rec.date)
        problems = list(rec.problems)
        if date_problem:
            problems.append(t("imp_bad_date", lang, reason=date_problem))
        cn, cn_problem = matcher.match_cn(cn_names, rec.cn_province, clean(rec.cn_level).lower(), lang)
        partner, p_problem = matcher.match_partner(partner_names, iso3, lang)
        cn_all = cn_names + ([cn.zh, cn.en] if cn else [])
        p_all = partner_names + ([partner.en, partner.zh] if partner else [])
        keys = _pair_keys(cn_all, p_all, iso3, cn.place_id if cn else "", partner.place_id if partner else "")
        hit = next((index[k] for k in keys if k in index), None)
        if hit is not None:
            message = _merge_into(rows[hit], date, rec, cn, lang)
            report.append(ReportRow(rec.row, "merged", "; ".join([message, *problems]), rows[hit]["pair_id"]))
            continue

        prov_zh, prov_en = (cn.prov_zh, cn.prov_en) if cn else matcher.province(rec.cn_province)
        zh_in = next((n for n in cn_names if has_cjk(n)), "")
        en_in = next((n for n in cn_names if not has_cjk(n)), "")
        p_zh_in = next((n for n in partner_names if has_cjk(n)), "")
        p_en_in = next((n for n in partner_names if not has_cjk(n)), "")
        level = clean(rec.cn_level).lower()
        p_level = clean(rec.partner_level).lower()
        digest = hashlib.sha1("|".join([*cn_names, *partner_names, iso3]).encode()).hexdigest()
        pid, extra = "U" + digest[:8], 8
        while pid in ids:
            extra += 1
            pid = "U" + digest[:extra]
        ids.add(pid)
        note = "; ".join(x for x in [clean(rec.note), t("imp_note", lang, file=file, row=rec.row)] if x)
        new = {
            "pair_id": pid,
            "cn_name_zh": (cn.zh if cn and cn.zh else zh_in), "cn_name_en": (cn.en if cn and cn.en else en_in),
            "cn_province_zh": prov_zh, "cn_province_en": prov_en,
            "cn_level": cn.level if cn else (level if level in CN_LEVELS else guess_cn_level(cn_names[0])),
            "cn_place_id": cn.place_id if cn else "",
            "partner_name_en": partner.en if partner and partner.en else p_en_in,
            "partner_name_zh": partner.zh if partner and partner.zh else p_zh_in,
            "partner_country_iso3": iso3,
            "partner_level": p_level if p_level in PARTNER_LEVELS else (partner.level if partner and
                                                                        partner.level in PARTNER_LEVELS else "unknown"),
            "partner_place_id": partner.place_id if partner else "",
            "established": date, "date_source": (clean(rec.date_source) or rec.source) if date else "",
            "date_note": (t("imp_date_in_file", lang, value=clean(rec.date)[:40]) if date_problem else ""),
            "tie_type": tie_type(rec.tie_type) or "unknown",
            "source": rec.source, "note": note,
        }
        rows.append(new)
        for key in _row_keys(new):
            index.setdefault(key, len(rows) - 1)
        placed = new["cn_place_id"] in matcher.place_ids and new["partner_place_id"] in matcher.place_ids
        status = "imported" if placed else "unplaced"
        why = [t("imp_new", lang)] + ([x for x in (cn_problem, p_problem) if x] if not placed else [])
        report.append(ReportRow(rec.row, status, "; ".join([*why, *problems]), pid))

    table = pd.DataFrame(rows, columns=PAIRING_COLUMNS).fillna("")
    return ImportResult(pairings=table, places=atlas.places.copy(), imported=table.iloc[existing:].copy(),
                        rows=report, encoding=encoding, file=file)


def to_atlas(atlas: Atlas, result: ImportResult) -> Atlas:
    """A session-only Atlas from an import: the merged pairings joined and tagged like the embedded data."""
    df = enrich(result.pairings, result.places, atlas.countries, atlas.provinces, atlas.eras, atlas.bri)
    overrides_path = atlas.data_dir / paths.AFFINITY_OVERRIDES.name
    overrides = read_table(overrides_path, ["cn_name_en", "partner_name_en", "partner_country_iso3", "affinity"]) \
        if overrides_path.exists() else None
    tags = affinity.tag(df, atlas.rules, overrides)
    return replace(atlas, pairings=pd.concat([df, tags], axis=1), places=result.places)


def check_size(data: bytes, file: str, lang: str) -> None:
    """Refuse files over MAX_BYTES before reading them."""
    if len(data) > MAX_BYTES:
        raise AtlasDataError(file, t("imp_too_big", lang, mb=MAX_BYTES // (1024 * 1024),
                                     size=f"{len(data) / 1024 / 1024:.1f}"))
    if not data.strip():
        raise AtlasDataError(file, t("imp_empty_file", lang))


def check_rows(n: int, file: str, lang: str) -> None:
    if n > MAX_ROWS:
        raise AtlasDataError(file, t("imp_too_many_rows", lang, n=f"{MAX_ROWS:,}", got=f"{n:,}"))


__all__ = ["MAX_BYTES", "MAX_ROWS", "AtlasDataError", "ImportResult", "Record", "ReportRow", "merge_records",
           "normalise_date", "to_atlas"]
