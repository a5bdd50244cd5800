"""The shared filters in the sidebar, drawn from one table of controls.

Each `Control` names a `Filters` field (its widget key is `state.WIDGET_KEYS[field]`), the kind of widget, its
catalogue label and, for a multi-choice field, which values to offer. Adding a filter is one row here (after the
field exists in `geo.filters` and has a widget key in `state`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from geo import choices
from geo import filters as geo_filters
from geo.filters import Filters
from geo.i18n import LANGS, t
from pages.ui import session, state


@dataclass(frozen=True)
class Control:
    field: str
    kind: str  # "multiselect", "select" (one value or none), "range", "checkbox" or "text"
    label: str  # catalogue key
    offered: Callable[[Filters], list[str]] | None = None  # values offered (default: all the dataset has)
    by_name: bool = False  # offer values in the order their names sort in the interface language
    typed: bool = False  # accept a typed name (resolved by state.begin_run)


def _subregions(f: Filters) -> list[str]:
    return choices.subregions_of(session.atlas(), f.continents, session.vocabulary().subregions)


def _countries(f: Filters) -> list[str]:
    offered = choices.countries_of(session.atlas(), f.continents, f.subregions, session.vocabulary().countries)
    return offered + [c for c in f.countries if c not in offered]  # a chosen country always stays offered


def _lenses(f: Filters) -> list[str]:
    return list(session.vocabulary().lenses)


def _networks(f: Filters) -> list[str]:
    return list(session.vocabulary().networks)


CONTROLS = [
    Control("lens", "select", "lens", offered=_lenses),
    Control("eras", "multiselect", "era"),
    Control("year_min", "range", "years"),
    Control("include_unknown", "checkbox", "include_unknown"),
    Control("continents", "multiselect", "continent", by_name=True),
    Control("subregions", "multiselect", "subregion", offered=_subregions, by_name=True),
    Control("countries", "multiselect", "country", offered=_countries, by_name=True, typed=True),
    Control("bri_groups", "multiselect", "bri_group"),
    Control("macro_regions", "multiselect", "macro_region"),
    Control("provinces", "multiselect", "province"),
    Control("levels", "multiselect", "level"),
    Control("affinities", "multiselect", "affinity"),
    Control("network", "select", "network", offered=_networks),
    Control("formal_only", "checkbox", "formal_only"),
    Control("include_ended", "checkbox", "include_ended"),
    Control("search", "text", "search"),
]


def _multiselect(c: Control, f: Filters, lang: str) -> None:
    names = session.option_labels(c.field, lang)
    offered = c.offered(f) if c.offered else list(getattr(session.vocabulary(), c.field))
    if c.by_name:
        offered = session.sorted_by_name(offered, c.field, lang)
    st.sidebar.multiselect(t(c.label, lang), offered, key=state.WIDGET_KEYS[c.field],
                           format_func=lambda v: names.get(v, v), placeholder=t("all", lang),
                           accept_new_options=c.typed, help=t(f"{c.label}_help", lang) if c.typed else None)


def _select(c: Control, f: Filters, lang: str) -> None:
    names = session.option_labels(c.field, lang)
    offered = ["", *(c.offered(f) if c.offered else [])]
    st.sidebar.selectbox(t(c.label, lang), offered, key=state.WIDGET_KEYS[c.field],
                         format_func=lambda v: names.get(v, v) if v else t("all", lang))


def _range(c: Control, f: Filters, lang: str) -> None:
    st.sidebar.slider(t(c.label, lang), geo_filters.FIRST_YEAR, session.vocabulary().last_year,
                      key=state.WIDGET_KEYS[c.field])


def _checkbox(c: Control, f: Filters, lang: str) -> None:
    st.sidebar.checkbox(t(c.label, lang), key=state.WIDGET_KEYS[c.field])


def _text(c: Control, f: Filters, lang: str) -> None:
    st.sidebar.text_input(t(c.label, lang), key=state.WIDGET_KEYS[c.field], max_chars=geo_filters.MAX_SEARCH)


_DRAW: dict[str, Callable[[Control, Filters, str], None]] = {
    "multiselect": _multiselect, "select": _select, "range": _range, "checkbox": _checkbox, "text": _text,
}


def draw() -> None:
    """The language switch, every control of `CONTROLS`, and the reset button."""
    f = state.current()
    lang = session.lang()
    st.sidebar.radio(t("language", lang), list(LANGS), key=state.WIDGET_KEYS["lang"], horizontal=True,
                     format_func=lambda code: t("language_name", code),
                     on_change=state.keep_choices_across_languages)
    st.sidebar.header(t("filters", lang))
    for control in CONTROLS:
        _DRAW[control.kind](control, f, lang)
    st.sidebar.button(t("reset", lang), on_click=state.reset, key="w_reset")
