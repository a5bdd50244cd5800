"""Why a pairing could not be placed on the map, per row, in words: the build and the importers leave an end
without a place when it cannot be told which place is meant (no province for a Chinese name several places share),
when the gazetteer has no point for it, or when only a Chinese name of a foreign partner is known (the partner is
looked up by its English name). data/PLACEMENTS.md lists the same rows for the whole dataset."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from geo.i18n import t

_CJK = re.compile(r"[\u3400-\u9fff]")
# The columns `unplaced_reason` reads.
REASON_COLUMNS = ["cn_place_id", "partner_place_id", "cn_province_en", "partner_name_en", "cn_lat", "cn_lon",
                  "partner_lat", "partner_lon"]


def _has_point(row: Mapping[str, Any], side: str) -> bool:
    if not row.get(f"{side}_place_id"):
        return False
    values = (row.get(f"{side}_lat"), row.get(f"{side}_lon"))
    return all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values)


def unplaced_reason(row: Mapping[str, Any], lang: str) -> str:
    """Why this pairing is not drawn: each end without a point and why ('' when both ends have one)."""
    reasons = []
    if not _has_point(row, "cn"):
        if not row.get("cn_place_id") and not row.get("cn_province_en"):
            reasons.append(t("unplaced_cn_no_province", lang))
        else:
            reasons.append(t("unplaced_cn_no_point", lang))
    if not _has_point(row, "partner"):
        if not row.get("partner_place_id") and _CJK.search(str(row.get("partner_name_en") or "")):
            reasons.append(t("unplaced_partner_no_english", lang))
        else:
            reasons.append(t("unplaced_partner_no_point", lang))
    return t("sum_sep", lang).join(reasons)
