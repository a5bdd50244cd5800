"""Dates in the many forms lists use, turned into the dataset's 'YYYY[-MM[-DD]]' or a reason why not."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from geo._validate import parse_date
from geo.i18n import t
from geo.sources.record import clean

CHINA_TZ = timezone(timedelta(hours=8))  # registry timestamps are read as Beijing time

_ZH_DATE = re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日?)?)?$")
_SEP_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?"
                       r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _timestamp_date(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, CHINA_TZ).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return ""


def _from_number(number: int) -> str:
    digits = str(abs(number))
    if 1000 <= number <= 9999:
        return str(number)
    if len(digits) == 8 and digits[:2] in ("19", "20"):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    if 10**8 <= number < 10**10:
        return _timestamp_date(number)
    if 10**11 <= number < 10**13:
        return _timestamp_date(number / 1000)
    return ""


def normalise_date(value: Any, lang: str = "en") -> tuple[str, str]:
    """A date in any form the importers accept -> ('YYYY[-MM[-DD]]', '') or ('', reason in `lang`).

    Accepted: '1979', '1979-11', '1979-11-05' (with or without a time), 1979/11/5, 1979.11, 1979年11月(5日),
    19791105 (text or number) and Unix timestamps in seconds or milliseconds (read as Beijing time).
    """
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "", ""
    text = clean(value)
    if isinstance(value, bool):
        return "", t("date_not_a_date", lang, value=text)
    if not text:
        return "", ""
    number: int | None = None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isinf(value) or value != int(value)):
            return "", t("date_not_a_date", lang, value=text)
        number = int(value)
    elif re.fullmatch(r"\d{5,14}(?:\.0+)?", text):
        number = int(text.split(".")[0])
    if number is not None:
        candidate = _from_number(number)
        if not candidate:
            return "", t("date_not_a_date", lang, value=text)
    else:
        m = _ZH_DATE.match(text) or _SEP_DATE.match(text)
        if not m:
            return "", t("date_form_unknown", lang, value=text[:40])
        y, mo, d = m.group(1), m.group(2), m.group(3)
        candidate = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
    try:
        parse_date(candidate)
    except ValueError:
        return "", t("date_impossible", lang, value=candidate)
    return candidate, ""
