"""Checks shared by the loader and the importers. Every failure raises one error type that names where."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

DATE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
FIRST_YEAR = 1973  # Tianjin–Kobe, the first pairing; anything earlier is a data error.


class AtlasDataError(ValueError):
    """A data file or an uploaded file is malformed. Names the file, row, column and the problem."""

    def __init__(self, file: str, problem: str, row: int | None = None, column: str | None = None) -> None:
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = file
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


def require_columns(file: str, columns: Iterable[str], required: Iterable[str]) -> None:
    missing = [c for c in required if c not in set(columns)]
    if missing:
        raise AtlasDataError(file, f"missing column(s): {', '.join(missing)}")


def parse_date(value: str) -> tuple[int | None, str]:
    """'1979', '1979-11' or '1979-11-05' -> (year, precision); '' -> (None, 'unknown'). Raises ValueError."""
    value = value.strip()
    if not value:
        return None, "unknown"
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group("y"))
    month = int(m.group("m")) if m.group("m") else None
    day = int(m.group("d")) if m.group("d") else None
    if month is not None:
        try:
            date(year, month, day or 1)
        except ValueError as exc:
            raise ValueError(f"date {value!r} is not a real date ({exc})") from None
    if not FIRST_YEAR <= year <= date.today().year:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{date.today().year}")
    return year, "day" if day else "month" if month else "year"


def check_coordinate(lat: str, lon: str) -> tuple[float, float]:
    """Parse a latitude/longitude pair in degrees; raises ValueError with the reason."""
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        raise ValueError(f"coordinates ({lat!r}, {lon!r}) are not numbers") from None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise ValueError(f"coordinates ({la}, {lo}) are out of range")
    return la, lo


def check_rows(file: str, rows: Iterable[Mapping[str, str]], checks: Mapping[str, object]) -> None:
    """Apply per-column checks (callables that raise ValueError) to every row; header is row 1."""
    for n, row in enumerate(rows, start=2):
        for column, check in checks.items():
            try:
                check(row.get(column, ""))  # type: ignore[operator]
            except ValueError as exc:
                raise AtlasDataError(file, str(exc), n, column) from None


def check_unique(file: str, values: Iterable[str], column: str) -> None:
    seen: dict[str, int] = {}
    for n, value in enumerate(values, start=2):
        if value in seen:
            raise AtlasDataError(file, f"duplicate value {value!r} (first on row {seen[value]})", n, column)
        seen[value] = n
