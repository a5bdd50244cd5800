"""The dataset this session works on and what is derived from it, cached once per dataset; the language.

The embedded dataset is loaded and validated once per server process. A user's import replaces it for their
session only (`use_import`); everything derived is cached by `dataset_token()`, so sessions never mix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from geo import cases as geo_cases
from geo import choices, export, find, load, paths, stats
from geo import filters as geo_filters
from geo.find import sort_key
from geo.i18n import DEFAULT_LANG, LANGS

_IMPORT_KEYS = ("imported_atlas", "imported_token", "imported_name")


@st.cache_resource(show_spinner=False)
def embedded_atlas() -> load.Atlas:
    """The embedded dataset, loaded and validated once per server process (read-only by convention)."""
    return load.load_atlas()


@st.cache_resource(show_spinner=False)
def case_list() -> list[dict[str, Any]]:
    return geo_cases.load_cases(paths.CASES)


@st.cache_resource(show_spinner=False)
def country_points() -> pd.DataFrame:
    return load.read_table(paths.COUNTRY_POINTS, ["iso3", "lon", "lat"])


def atlas() -> load.Atlas:
    """The dataset this session works on: an imported one if the user loaded one, else the embedded one."""
    imported = st.session_state.get("imported_atlas")
    return imported if imported is not None else embedded_atlas()


def dataset_token() -> str:
    """Names the session's dataset in cache keys: 'embedded' or the import's content hash."""
    return str(st.session_state.get("imported_token", "embedded"))


def imported_name() -> str | None:
    return st.session_state.get("imported_name") if st.session_state.get("imported_atlas") is not None else None


def use_import(imported: load.Atlas, token: str, name: str) -> None:
    st.session_state.update(dict(zip(_IMPORT_KEYS, (imported, token, name), strict=True)))


def drop_import() -> None:
    for key in _IMPORT_KEYS:
        st.session_state.pop(key, None)


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


@st.cache_resource(show_spinner=False, max_entries=128)  # every value of 16 datasets
def _derived(token: str, name: str, _atlas: load.Atlas) -> Any:
    return _DERIVED[name](token, _atlas)


# What is derived from a dataset, each built the first time a page asks for it (the map page never waits for
# the place index the city page needs).
_DERIVED: dict[str, Callable[[str, load.Atlas], Any]] = {
    "vocabulary": lambda token, a: geo_filters.vocabulary(
        a.pairings, a.eras, list(a.bri["bri_group"]), list(a.provinces["province_en"]),
        sorted(a.pairings["partner_country_iso3"].unique())),
    "case_links": lambda token, a: geo_cases.resolve(case_list(), a.pairings),
    "place_choices": lambda token, a: stats.city_choices(a.pairings, a.places),
    "place_index": lambda token, a: find.place_index(_derived(token, "place_choices", a)),
    "country_index": lambda token, a: find.country_index(a.countries),
    "pair_positions": lambda token, a: pd.Index(a.pairings["pair_id"]),
    "data_as_of": lambda token, a: export.data_as_of(a),
}


def derived(name: str) -> Any:
    """One of the values derived from the session's dataset, computed once per dataset."""
    return _derived(dataset_token(), name, atlas())


def vocabulary() -> geo_filters.Vocabulary:
    return derived("vocabulary")  # type: ignore[no-any-return]


def case_links() -> dict[int, str | None]:
    """Case number -> pair id of its pairing in the session's dataset (None for forum cases)."""
    return derived("case_links")  # type: ignore[no-any-return]


def filtered(f: geo_filters.Filters) -> pd.DataFrame:
    return geo_filters.apply(atlas().pairings, f)


def pairing(pair_id: str) -> pd.DataFrame:
    """The row of one pairing (empty if the dataset has no such id), found in an index built once per dataset."""
    where = derived("pair_positions").get_indexer([pair_id])
    return atlas().pairings.iloc[[int(where[0])] if where[0] >= 0 else []]


def resolve_pair(asked: str) -> find.PairLookup:
    """A pair id from a link or a saved view: its pairing, or the pairing an older id of it now names
    (data/pair_aliases.csv), or why there is none."""
    return find.resolve_pair(asked, derived("pair_positions"), atlas().pair_aliases)


def case_pairs(shown: pd.DataFrame) -> tuple[str, ...]:
    """The pair ids among `shown` that a book case links to (one pass over the shown ids)."""
    linked = [pid for pid in case_links().values() if pid]
    return tuple(sorted(shown.loc[shown["pair_id"].isin(linked), "pair_id"]))


@st.cache_resource(show_spinner=False, max_entries=64)
def _option_names(token: str, field: str, lang: str, _atlas: load.Atlas) -> tuple[dict[str, str], dict[str, Any]]:
    names = choices.option_labels(_atlas, field, lang)
    return names, {v: sort_key(names.get(v) or v, lang) for v in names}


def option_labels(field: str, lang: str) -> dict[str, str]:
    """Value -> name in `lang` for one choice filter, built once per dataset and language."""
    return _option_names(dataset_token(), field, lang, atlas())[0]


def sorted_by_name(values: list[str], field: str, lang: str) -> list[str]:
    """`values` in the order their names sort in `lang` (as `choices.sorted_by_name`), with the sort keys made
    once per dataset and language."""
    names, keys = _option_names(dataset_token(), field, lang, atlas())
    return sorted(values, key=lambda v: keys[v] if v in keys else sort_key(names.get(v) or v, lang))
