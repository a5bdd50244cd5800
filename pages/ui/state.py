"""URL ⇄ widget state.

`WIDGET_KEYS` is the one table from each `Filters` field to the session-state key of the widget that holds it;
the URL form of a `Filters` value is `geo.filters` (to_query / from_query). A run goes:

1. `begin_run()` (app.py, before the page): on a session's first run the widgets are seeded from the URL;
   afterwards the widgets are read into one `Filters` value (typed-in country names resolved, sub-regions
   outside the chosen continents dropped) that the page and the sidebar share.
2. The page runs; its own URL parameters (`PAGE_PARAMS`: case, city, year, tab, …) are bound to its widgets with
   `url_widget`, or written with `set_param`.
3. `publish()` (app.py, after the sidebar) writes the filters and the page's parameters to the URL.

Adding a filter: a field in `geo.filters.Filters` (with its URL key and its test in `apply`), its widget key here,
and its control in `sidebar.CONTROLS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from typing import Any, TypeVar

import streamlit as st

from geo import choices
from geo import filters as geo_filters
from geo.filters import Filters
from pages.ui import session
from pages.ui import text as text_

# Each Filters field -> its widget's key. Fields sharing a key (the year range) are one widget holding a tuple
# of them, in field order.
WIDGET_KEYS: dict[str, str] = {
    "lang": "lang", "eras": "w_eras", "year_min": "w_years", "year_max": "w_years", "include_unknown": "w_unknown",
    "continents": "w_continents", "subregions": "w_subregions", "bri_groups": "w_bri", "provinces": "w_provinces",
    "macro_regions": "w_macro", "levels": "w_levels", "countries": "w_countries", "affinities": "w_affinities",
    "formal_only": "w_formal", "include_ended": "w_ended", "search": "w_search", "color_by": "w_color",
    "mode": "w_mode", "lens": "w_lens", "network": "w_net",
    # Map and presentation view settings drawn on the map page (not in the sidebar).
    "flow_level": "w_flow_level", "flow_min": "w_flow_min",
}
# URL keys that belong to one page rather than to the shared filters, and Streamlit's own.
PAGE_PARAMS = ("case", "city", "pair", "sel", "view", "year", "tab", "group", "embed", "embed_options",
               "deck", "slide")  # deck, slide: the saved views of presentation mode (pages/ui/deck.py)

T = TypeVar("T")


def _groups() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, key in WIDGET_KEYS.items():
        out.setdefault(key, []).append(name)
    return out


def widget_values(f: Filters) -> dict[str, Any]:
    """The value each widget holds for `f` (multi-choice fields as lists, the year range as a tuple)."""
    out: dict[str, Any] = {}
    for key, names in _groups().items():
        values = [list(v) if isinstance(v, tuple) else v for v in (getattr(f, n) for n in names)]
        out[key] = tuple(values) if len(values) > 1 else values[0]
    return out


def filters_from(state: Mapping[str, Any], base: Filters) -> Filters:
    """The `Filters` the widgets in `state` hold; a widget not in `state` keeps `base`'s value."""
    values: dict[str, Any] = {}
    for key, names in _groups().items():
        if key not in state:
            continue
        raw = state[key]
        parts = tuple(raw) if len(names) > 1 else (raw,)
        for name, value in zip(names, parts, strict=True):
            kind = type(getattr(base, name))
            if kind is str and value is None:  # a single-choice box left empty
                value = ""
            values[name] = tuple(str(v) for v in value) if kind is tuple else kind(value)
    return replace(base, **values)


def current() -> Filters:
    """The filters of this run (set by `begin_run`)."""
    return st.session_state.get("filters") or Filters()


def notices() -> list[tuple[str, dict[str, Any]]]:
    """Messages for the page to show once: (catalogue key, values), e.g. a bad URL value."""
    return st.session_state.setdefault("notices", [])


def begin_run() -> Filters:
    """Seed the widgets from the URL on a session's first run, then read them into this run's `Filters`."""
    ss = st.session_state
    vocab = session.vocabulary()
    if not ss.get("_seeded"):
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        f, problems = geo_filters.from_query(params, vocab, PAGE_PARAMS)
        ss.update(widget_values(f))
        ss["_seeded"] = True
        notices().extend(("unknown_param" if p.unknown_key else "bad_param", {"key": p.key, "value": p.value})
                         for p in problems)
    f = _tidy(filters_from(ss.to_dict(), ss.get("filters") or Filters()), vocab)
    for key, value in widget_values(f).items():
        if ss.get(key) != value:
            ss[key] = value  # widgets are drawn after this, so their state may still be set
    ss["filters"] = f
    return f


def _tidy(f: Filters, vocab: geo_filters.Vocabulary) -> Filters:
    """Resolve country names typed into the country box, drop sub-regions outside the chosen continents, keep
    the years inside the slider's range."""
    countries: list[str] = []
    for value in f.countries:
        if value in vocab.countries:
            countries.append(value)
            continue
        hits = [c for c in session.derived("country_index").find(value) if c in vocab.countries]
        if len(hits) == 1:
            countries.append(hits[0])
        else:
            notices().append(("country_not_found" if not hits else "country_ambiguous", {"name": value}))
    # A single-choice box holding a value the data does not offer (never expected; a stale widget state) is
    # emptied with a notice rather than reaching the filters, where it has no meaning.
    if f.lens and f.lens not in vocab.lenses:
        notices().append(("bad_param", {"key": "lens", "value": f.lens}))
        f = replace(f, lens="")
    if f.network and f.network not in vocab.networks:
        notices().append(("bad_param", {"key": "net", "value": f.network}))
        f = replace(f, network="")
    subregions = choices.subregions_of(session.atlas(), f.continents, f.subregions)
    last = vocab.last_year
    year_min = min(max(f.year_min, geo_filters.FIRST_YEAR), last)
    year_max = min(max(f.year_max, year_min), last)
    return replace(f, countries=tuple(dict.fromkeys(countries)), subregions=tuple(subregions),
                   year_min=year_min, year_max=year_max)


def keep_choices_across_languages() -> None:
    """The language switch's on_change: Streamlit sends a choice widget's value to the browser as its label, and
    on the next run reads the label back against the options' labels in the new language, where the old one is
    unknown ('非洲' among 'Africa', …) and would be taken as a typed value. Each widget value is put back as the
    value itself before that run, so it is labelled afresh in the new language."""
    ss = st.session_state
    for key in list(ss.keys()):
        if key == WIDGET_KEYS["lang"] or str(key).startswith("_"):
            continue
        value = ss[key]
        # Choice and text widgets hold strings, numbers or lists of them; buttons, checkboxes (bools) and uploads
        # hold values that may not be set, and are not labelled anyway.
        if isinstance(value, (str, int, float, list, tuple)) and not isinstance(value, bool):
            ss[key] = value


def reset(names: list[str] | None = None) -> None:
    """Put the named filter fields (every filter but the language and view when None) back to their defaults;
    for a button's on_click, so the next run reads the new values."""
    base = current()
    default = base.view_only()
    wanted = names if names is not None else [f.name for f in fields(Filters)]
    f = replace(base, **{n: getattr(default, n) for n in wanted})
    st.session_state.update(widget_values(f))


def publish() -> None:
    """Write this run's filters and the page's own parameters to the URL (nothing else survives)."""
    kept = {k: st.query_params[k] for k in PAGE_PARAMS if k in st.query_params}
    wanted = {**geo_filters.to_query(current()), **kept}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def url_widget(name: str, key: str, parse: Callable[[str], T | None], draw: Callable[[], T],
               text: Callable[[T], str] = str, default: T | None = None,
               on_bad: Callable[[str], Any] | None = None) -> T:
    """A page widget bound to the URL parameter `name`: a value the URL brings (a link, a first visit) is put
    into the widget before `draw()` draws it; one `parse` refuses is reported (by `on_bad`, or as a bad link
    value) and dropped. After drawing, the widget's value goes to the URL (left out when it is `default`).
    Returns the widget's value."""
    ss = st.session_state
    seen = ss.setdefault("_url_seen", {})
    raw = st.query_params.get(name)
    if raw is not None and (raw != seen.get(name) or key not in ss):
        value = parse(raw)
        if value is None:
            on_bad(raw) if on_bad else text_.warn("bad_param", key=name, value=raw)
        else:
            ss[key] = value
    value = draw()
    set_param(name, None if value is None or value == default else text(value))
    return value


def set_param(name: str, text: str | None) -> None:
    """Set (or with None remove) one page parameter in the URL."""
    if text is None:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != text:
        st.query_params[name] = text
    st.session_state.setdefault("_url_seen", {})[name] = text


def param(name: str) -> str | None:
    """A page parameter as the URL holds it now."""
    return st.query_params.get(name)
