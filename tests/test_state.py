"""URL ⇄ widget state: one widget key per filter field, and values that survive the trip through the widgets."""

from __future__ import annotations

from dataclasses import fields

from geo.filters import URL_KEYS, Filters
from pages.ui import sidebar, state


def test_every_filter_field_has_a_widget_and_a_url_key() -> None:
    names = [f.name for f in fields(Filters)]
    assert sorted(state.WIDGET_KEYS) == sorted(names) == sorted(URL_KEYS)
    assert not set(URL_KEYS.values()) & set(state.PAGE_PARAMS), "page parameters never shadow a filter"


def test_every_sidebar_control_is_a_filter_with_a_widget() -> None:
    controlled = {c.field for c in sidebar.CONTROLS}
    assert controlled <= set(state.WIDGET_KEYS)
    # Every filter is either in the sidebar or set elsewhere on purpose (language; map colouring, mode and flow
    # settings on the map page; the year range has one control for both ends).
    assert set(state.WIDGET_KEYS) - controlled == {"lang", "year_max", "color_by", "mode", "flow_level", "flow_min"}


def test_widget_values_round_trip() -> None:
    f = Filters(lang="en", eras=("II",), year_min=1980, year_max=1999, include_unknown=False, countries=("JPN",),
                formal_only=True, include_ended=True, search="Kobe", color_by="level", mode="flow", lens="japan",
                network="c40", flow_level="macro", flow_min=12)
    values = state.widget_values(f)
    assert values["w_years"] == (1980, 1999) and values["w_eras"] == ["II"] and values["lang"] == "en"
    assert values["w_lens"] == "japan" and values["w_net"] == "c40"
    assert state.filters_from(values, Filters()) == f
    # A widget that is not drawn (presentation mode) keeps the value the filters had.
    partial = {k: v for k, v in values.items() if k != "w_countries"}
    assert state.filters_from(partial, Filters(countries=("USA",))).countries == ("USA",)
