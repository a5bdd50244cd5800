"""What an export is made of: the dataset, the filters and what the user focused (a pairing, a book case or a
city), so that every file — image, animation, deck — shows the same view as the map page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from geo import cases, load, paths
from geo.filters import Filters, apply


@dataclass(frozen=True)
class Focus:
    """A focused pairing (`pair=P…` or the pairing of `case=N`), the book case it belongs to, and a selected place
    (`sel=<place id>`). Empty by default: nothing is focused."""

    pair_id: str = ""
    case: int | None = None
    place_id: str = ""

    def __bool__(self) -> bool:
        return bool(self.pair_id or self.case or self.place_id)


NO_FOCUS = Focus()


@lru_cache(maxsize=1)
def case_list() -> tuple[dict[str, Any], ...]:
    """The book's cases (data/cases.yaml), read once."""
    return tuple(cases.load_cases(paths.CASES))


def case_by_number(number: int | None) -> dict[str, Any] | None:
    return next((c for c in case_list() if c["number"] == number), None) if number else None


def case_links(atlas: load.Atlas) -> dict[int, str | None]:
    """Case number -> its pairing's id in `atlas` (None for a forum or city–country case)."""
    return cases.resolve(list(case_list()), atlas.pairings)


def focus_for(atlas: load.Atlas, pair_id: str = "", case: int | None = None, place_id: str = "") -> Focus:
    """The focus the map page's URL describes: a case brings its pairing, a pairing its case (if it is one)."""
    links = case_links(atlas)
    if case is not None and links.get(case):
        pair_id = str(links[case])
    if pair_id and case is None:
        case = next((n for n, p in links.items() if p == pair_id), None)
    known = set(atlas.pairings["pair_id"])
    return Focus(pair_id=pair_id if pair_id in known else "", case=case if case_by_number(case) else None,
                 place_id=place_id)


def shown(atlas: load.Atlas, filters: Filters) -> pd.DataFrame:
    """The pairings the filters let through (what the map draws)."""
    return apply(atlas.pairings, filters)


def focus_pairs(df: pd.DataFrame, focus: Focus) -> tuple[str, ...]:
    """The focused pairing, if the view shows it."""
    return (focus.pair_id,) if focus.pair_id and focus.pair_id in set(df["pair_id"]) else ()


def place_rows(df: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """The pairings of `df` with `place_id` at either end."""
    if not place_id:
        return df.iloc[0:0]
    return df[(df["cn_place_id"] == place_id) | (df["partner_place_id"] == place_id)]
