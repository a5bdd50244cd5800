"""Matching an imported row's names to the dataset: countries, Chinese places (with province and level),
partner places within their country, and the keys under which a pairing is already known."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.find import country_index, has_cjk
from geo.i18n import label, t
from geo.load import Atlas
from geo.names import fold, strip_cn_suffix
from geo.schema import CN_LEVELS, TIE_TYPES
from geo.sources.record import clean, province_short

_PARTNER_SUFFIX = re.compile(r"(?:市|州|省|县|郡|区)$")


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


class Matcher:
    """Indexes the dataset's countries, Chinese places, partner places and existing pairings by name."""

    def __init__(self, atlas: Atlas) -> None:
        self.place_ids = set(atlas.places["place_id"])
        self.countries = country_index(atlas.countries)

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
        """ISO3 code for a code or an English/Chinese country name; '' if unknown or ambiguous."""
        found = self.countries.find(clean(value), prefix=False)
        return found[0] if len(found) == 1 else ""

    def province(self, value: str) -> tuple[str, str]:
        value = clean(value)
        return self.provinces.get(fold(value), ("", "")) if value else ("", "")

    def match_cn(self, names: list[str], province: str, level: str, lang: str) -> tuple[_Cn | None, str]:
        """The one known Chinese place these names denote, or (None, reason)."""
        found: list[_Cn] = []
        for name in names:
            for key in _cn_keys(name):
                found += [c for c in self.cn.get(key, []) if c not in found]
        typed = " / ".join(n for n in names if n)
        if not found:
            return None, t("imp_cn_unknown", lang, name=typed)
        prov = self.province(province)
        if prov[1]:
            found = [c for c in found if c.prov_en == prov[1] or (not c.prov_en and c.level != "province")] or []
        if level in CN_LEVELS:
            found = [c for c in found if c.level == level] or found
        if not found:
            return None, t("imp_cn_unknown", lang, name=f"{typed} ({province})")
        places = {c.place_id for c in found if c.place_id}
        if len(places) > 1:
            # An exact Chinese name beats a shortened one: '北京市' is the municipality, not a district '北京'.
            exact = [c for c in found if c.zh and clean(c.zh) in names]
            if len({c.place_id for c in exact if c.place_id}) == 1:
                found = exact
            else:
                options = "; ".join(sorted({f"{c.zh or c.en} ({c.prov_zh or c.prov_en}, {label('lvl', c.level, lang)})"
                                            for c in found}))
                return None, t("imp_cn_ambiguous", lang, name=typed, options=options[:200])
        # Prefer the entry with a place, then the most complete one.
        best = sorted(found, key=lambda c: (not c.place_id, not c.zh, not c.en, not c.prov_en))[0]
        return best, ""

    def match_partner(self, names: list[str], iso3: str, lang: str) -> tuple[_Partner | None, str]:
        found: list[_Partner] = []
        for name in names:
            for key in _partner_keys(name):
                found += [p for p in self.partners.get((key, iso3), []) if p not in found]
        typed = " / ".join(n for n in names if n)
        if not found:
            return None, t("imp_partner_unknown", lang, name=typed, country=iso3)
        places = {p.place_id for p in found if p.place_id}
        if len(places) > 1:
            options = "; ".join(sorted({f"{p.en or p.zh} ({label('lvl', p.level, lang)})" for p in found}))
            return None, t("imp_partner_ambiguous", lang, name=typed, options=options[:200])
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


def pair_keys(cn_names: list[str], partner_names: list[str], iso3: str, cn_place: str, partner_place: str
               ) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if cn_place and partner_place:
        keys.append(("id", cn_place, partner_place))
    cn_keys = {k for n in cn_names for k in _cn_keys(n)}
    p_keys = {k for n in partner_names for k in _partner_keys(n)}
    keys += [("name", a, b, iso3) for a in sorted(cn_keys) for b in sorted(p_keys)]
    return keys


def row_keys(row: dict[str, str]) -> list[tuple[str, ...]]:
    return pair_keys([row["cn_name_zh"], row["cn_name_en"]], [row["partner_name_en"], row["partner_name_zh"]],
                      row["partner_country_iso3"], row["cn_place_id"], row["partner_place_id"])


