"""One input row as the importers read it, the clean-up every cell gets, and the file-size and row limits."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from geo._validate import AtlasDataError
from geo.i18n import t

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$")


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


def clean(value: Any) -> str:
    """A name or code cell as trimmed text ('' for None/NaN), full-width forms normalised (NFKC) for matching."""
    return unicodedata.normalize("NFKC", text_of(value))


def text_of(value: Any) -> str:
    """A free-text cell (source, note) as the user wrote it, trimmed; '' for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def province_short(name_zh: str) -> str:
    """'江苏省' -> '江苏', '广西壮族自治区' -> '广西'."""
    return _PROVINCE_SUFFIX.sub("", name_zh) or name_zh


def check_size(data: bytes, file: str, lang: str) -> None:
    """Refuse files over MAX_BYTES before reading them."""
    if len(data) > MAX_BYTES:
        raise AtlasDataError(file, too_big(len(data), lang))
    if not data.strip():
        raise AtlasDataError(file, t("imp_empty_file", lang))


def too_big(size: int, lang: str) -> str:
    return t("imp_too_big", lang, mb=MAX_BYTES // (1024 * 1024), size=f"{size / 1024 / 1024:.1f}")


def check_rows(n: int, file: str, lang: str) -> None:
    if n > MAX_ROWS:
        raise AtlasDataError(file, t("imp_too_many_rows", lang, n=f"{MAX_ROWS:,}", got=f"{n:,}"))
