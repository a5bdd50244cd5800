"""Name folding and loose matching, shared by the build and the app so both match names by the same rules."""

from __future__ import annotations

import re
import unicodedata

_CN_SUFFIXES = ("特别行政区", "自治县", "自治州", "地区", "新区", "市", "县", "区", "盟", "旗", "州")
# Place names of autonomous units are two characters in nearly all cases: 河口 in 河口瑶族自治县.
_ETHNIC_AUTONOMY = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2})(?:[\u4e00-\u9fff]{1,4}?族)+自治(?:县|州|旗)$")
# Words that say what kind of unit a name is, not which one: dropped when matching names loosely.
UNIT_WORDS = re.compile(
    r"\b(Province|Prefecture|Oblast|Krai|Region|County|Voivodeship|Department|Canton|State|Governorate|"
    r"Republic|District|City)\b|^County ", re.IGNORECASE)
_TRAILING_PARENTHESIS = re.compile(r"\s*\(.*\)$")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation: 'Kraków' and 'Krakow' fold alike."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ł", "l").replace("Ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    text = re.sub(r"[’'`\-–.,]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def strip_cn_suffix(name_zh: str) -> str:
    """'安庆市' -> '安庆', '河口瑶族自治县' -> '河口': the bare place name the gazetteer knows."""
    m = _ETHNIC_AUTONOMY.match(name_zh)
    if m:
        return m.group("place")
    for suffix in _CN_SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix) + 1:
            return name_zh[: -len(suffix)]
    return name_zh


def loose(name: str) -> str:
    """A name without its unit word or trailing parenthesis, folded: 'Hubei Province' and 'Hubei' match, as do
    'Gwanak-gu (Seoul)' and 'Gwanak gu'."""
    return fold(UNIT_WORDS.sub("", _TRAILING_PARENTHESIS.sub("", name)))
