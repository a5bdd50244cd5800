"""The column-wise checks report exactly what checking row by row did: same file, row, column and problem."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo._validate import AtlasDataError, check_columns, check_unique, parse_date
from geo.load import load_atlas


def rowwise(file: str, table: pd.DataFrame, checks: Mapping[str, Callable[[str], object]]) -> None:
    """The loader's former row-by-row check (the specification the column-wise one must match)."""
    for n, row in enumerate(table.to_dict("records"), start=2):
        for column, check in checks.items():
            try:
                check(str(row.get(column, "")))
            except ValueError as exc:
                raise AtlasDataError(file, str(exc), n, column) from None


def rowwise_unique(file: str, values: list[str], column: str) -> None:
    seen: dict[str, int] = {}
    for n, value in enumerate(values, start=2):
        if value in seen:
            raise AtlasDataError(file, f"duplicate value {value!r} (first on row {seen[value]})", n, column)
        seen[value] = n


def outcome(fn: Callable[[], None]) -> str | None:
    try:
        fn()
    except AtlasDataError as exc:
        return str(exc)
    return None


def small_code(value: str) -> None:
    if value not in ("a", "b", ""):
        raise ValueError(f"code {value!r} is not one of a, b")


def not_empty(value: str) -> None:
    if not value.strip():
        raise ValueError("is empty")


CHECKS: dict[str, Callable[[str], object]] = {
    "code": small_code, "date": parse_date, "name": not_empty, "absent": not_empty,
}
CELL = st.sampled_from(["a", "b", "", " ", "c", "1979", "1979-13", "2013-06-20", "soon", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), max_size=12), st.booleans())
def test_same_first_error_as_row_by_row(rows: list[tuple[str, str, str]], with_absent: bool) -> None:
    table = pd.DataFrame(rows, columns=["code", "date", "name"], dtype="str")
    checks = CHECKS if with_absent else {k: v for k, v in CHECKS.items() if k != "absent"}
    assert outcome(lambda: check_columns("t.csv", table, checks)) == outcome(lambda: rowwise("t.csv", table, checks))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["P1", "P2", "P3", "p1", "P1 "]), max_size=8))
def test_same_duplicate_message(values: list[str]) -> None:
    expected = outcome(lambda: rowwise_unique("t.csv", values, "pair_id"))
    assert outcome(lambda: check_unique("t.csv", pd.Series(values, dtype="str"), "pair_id")) == expected
    assert outcome(lambda: check_unique("t.csv", iter(values), "pair_id")) == expected


def test_first_row_wins_then_the_first_column(data_dir: Path) -> None:
    """Several bad cells: the error names the earliest row, and in that row the earliest checked column; the
    row-spanning rules (a date needs its source) come after every cell check, as before."""
    path = data_dir / "pairings.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[3]["tie_type"] = "friendship"  # row 5
    rows[3]["cn_level"] = "village"  # row 5, checked before tie_type
    rows[4]["established"] = "soon"  # row 6
    rows[0]["date_source"] = ""  # row 2, a date without a source: a rule checked after the cells
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(AtlasDataError) as err:
        load_atlas(data_dir)
    assert str(err.value) == ("pairings.csv, row 5, column 'cn_level': level 'village' is not one of county, "
                              "district, prefecture, province")
