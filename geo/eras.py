"""The five eras of China's friendship-city history and assigning a year to one."""

from __future__ import annotations

import pandas as pd

UNKNOWN_ERA = "unknown"


def era_for_years(years: pd.Series, eras: pd.DataFrame) -> pd.Series:
    """Era id for each year; `UNKNOWN_ERA` where the year is unknown. Eras are closed intervals."""
    result = pd.Series(UNKNOWN_ERA, index=years.index, dtype="object")
    for era in eras.to_dict("records"):
        end = int(str(era["end_year"])) if str(era["end_year"]).strip() else 9999
        mask = years.notna() & (years >= int(str(era["start_year"]))) & (years <= end)
        result[mask] = era["era_id"]
    return result

