"""Checks shared by the loader and the importers. Every failure raises one error type that names where."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

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


def column_values(table: pd.DataFrame, column: str) -> list[str]:
    """One column as a list of strings ('' for every row when the column is absent). Whole columns, because
    reading pandas' Arrow-backed strings row by row is an order of magnitude slower."""
    if column not in table.columns:
        return [""] * len(table)
    return list(map(str, table[column].tolist()))


def check_columns(file: str, table: pd.DataFrame, checks: Mapping[str, Callable[[str], object]]) -> None:
    """Apply per-value checks (callables that raise ValueError) to whole columns; header is row 1.

    Reports exactly what checking row by row, column by column in `checks` order would: the first row holding a
    bad value and, within it, the first failing column. Each distinct value of a column is checked once."""
    worst: tuple[int, int, str, str] | None = None  # (row index, column order, column, problem)
    for order, (column, check) in enumerate(checks.items()):
        values = column_values(table, column)
        problems: dict[str, str] = {}
        for value in dict.fromkeys(values):
            try:
                check(value)
            except ValueError as exc:
                problems[value] = str(exc)
        if not problems:
            continue
        index = next(n for n, value in enumerate(values) if value in problems)
        if worst is None or (index, order) < worst[:2]:
            worst = (index, order, column, problems[values[index]])
    if worst is not None:
        raise AtlasDataError(file, worst[3], worst[0] + 2, worst[2])


def first_true(file: str, rules: Sequence[tuple[str, str, np.ndarray]]) -> None:
    """Raise for the first row where one of `rules` (column, problem, one flag per row) is true; within a row the
    first rule in order. Header is row 1."""
    hits = [(int(flags.argmax()), order) for order, (_, _, flags) in enumerate(rules) if flags.any()]
    if hits:
        index, order = min(hits)
        column, problem, _ = rules[order]
        raise AtlasDataError(file, problem, index + 2, column)


def check_unique(file: str, values: Iterable[str], column: str) -> None:
    """The first repeated value, named at the row it repeats on and the row it was first seen on."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    repeated = series.duplicated().to_numpy()
    if repeated.any():
        n = int(repeated.argmax())
        value = series.iloc[n]
        first = int((series == value).to_numpy().argmax())
        raise AtlasDataError(file, f"duplicate value {value!r} (first on row {first + 2})", n + 2, column)
