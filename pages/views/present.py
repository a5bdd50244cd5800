"""Presentation mode, for a projector: the map fitted to the pairings shown, a caption stating the filters in words,
large figures and legend, thicker arcs. The filters come from the URL (or the session), so a prepared link opens
the view to present; a deck of saved views (`deck`, saved on the map page; geo.deck) steps with ←/→, the space
bar or the buttons, and its link can be shared (`slide` is the view shown).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import deck as geo_deck
from geo import export, mapview, stats
from geo.filters import Filters
from geo.i18n import t
from pages.ui import blocks, component, session, state
from pages.ui import deck as deck_ui
from pages.ui.text import info, md, warn

MAP_KEY = "present_map"
# With the caption and figures above (and the step buttons below, for a deck), the page fits a 1920×1080
# projector without scrolling.
MAP_HEIGHT, DECK_MAP_HEIGHT = 820, 770

lang = session.lang()
atlas = session.atlas()
links = session.case_links()
views = deck_ui.views()

event = component.pending(MAP_KEY)  # a key pressed on the map: step before drawing
if views and event and event.get("event") == "step":
    deck_ui.step(1 if int(event.get("delta", 1)) > 0 else -1, len(views))

params: dict[str, str] = {}
if views:
    number = deck_ui.slide_number(len(views))
    slide = geo_deck.slide(views[number - 1], session.vocabulary(), lang)
    for problem in slide.problems:
        warn("bad_param", key=problem.key, value=problem.value)
    f: Filters = slide.filters
    params = slide.params
else:  # no deck: the view is the URL's own, a focused `pair` or `case` and a `view` as on the map page
    number, f = 0, state.current()
    params = {k: v for k in geo_deck.PAGE_KEYS if (v := state.param(k))}
shown = session.filtered(f)
s = stats.summary(shown, len(atlas.pairings))


def focus_pair() -> str | None:
    """The pairing the view focuses (its `pair`, or its case's pairing); a value that names none is reported."""
    case = params.get("case", "")
    if case:
        if case.isdigit() and links.get(int(case)):
            return links[int(case)]
        warn("case_unknown", n=case)
    pair = params.get("pair")
    if not pair:
        return None
    look = session.resolve_pair(pair)
    if look.kind == "alias":  # an id from before a data update: its pairing, and the link rewritten to the new id
        info("pair_renamed", old=look.asked, new=look.pair_id)
        if views:
            deck_ui.replace(number, geo_deck.with_pair(views[number - 1], look.pair_id))
        elif state.param("pair") == look.asked:
            state.set_param("pair", look.pair_id)
    elif look.kind == "gone":
        warn("pair_gone", old=look.asked, reason=look.reason)
    elif look.kind == "unknown":
        warn("bad_param", key="pair", value=pair)
    return look.pair_id or None


def linked_view() -> dict[str, Any] | None:
    """The map view the slide or link names (`view=lat,lon,zoom`); a bad value is reported and the map fitted."""
    raw = params.get("view", "")
    if not raw:
        return None
    view, why = mapview.read_view(raw)
    if view is None:
        warn("bad_view", key="view", value=raw, why=t(why, lang))
    return view


def caption_text(pair: str | None) -> str:
    """'Showing: Partner continent: Africa' — the filters in words, for flows their grouping and threshold (in
    place of the summary's bare 'flows'), and the pairing or book case in focus."""
    if f.mode != "flow":
        words = export.filter_summary(f, atlas, lang)
    else:
        flows = component.cached_flows(f, session.dataset_token())
        words = export.filter_summary(f, atlas, lang, flows.min_count)
    if pair:
        row = atlas.pairings[atlas.pairings["pair_id"] == pair].iloc[0].to_dict()
        cases = [n for n, p in links.items() if p == pair]
        name = blocks.pair_name(row) + (t("footer_sep", lang) + t("case_marker", lang, n=cases[0]) if cases else "")
        words += t("sum_sep", lang) + t("present_focus", lang, pair=name)
    return t("present_shown", lang, what=words)


def step_buttons() -> None:
    c1, c2, c3 = st.columns([1, 1, 4])
    c1.button(t("slide_prev", lang), on_click=deck_ui.step, args=(-1, len(views)), disabled=number <= 1,
              key="slide_prev", width="stretch")
    c2.button(t("slide_next", lang), on_click=deck_ui.step, args=(1, len(views)),
              disabled=number >= len(views), key="slide_next", width="stretch")
    c3.caption(t("slide_keys", lang))


st.markdown("<style>h1{font-size:2.1rem !important;padding:0 !important;}"
            "[data-testid='stMetricValue']{font-size:2.6rem;}"
            "[data-testid='stMetricLabel'] p{font-size:1.25rem;}"
            ".st-key-present_caption p{font-size:2rem;line-height:1.3;font-weight:600;color:#1d3557;}"
            ".st-key-present_slide p{font-size:1.3rem;text-align:right;color:#555;}</style>",
            unsafe_allow_html=True)
head, counter = st.columns([5, 1])
with head:
    blocks.header("app_title")
pair = focus_pair()
if views:
    with counter.container(key="present_slide"):
        st.markdown(md(t("slide_of", lang, n=number, total=len(views)), None))
words, c1, c2, c3 = st.columns([4, 1, 1, 1])
with words.container(key="present_caption"):
    st.markdown(md(caption_text(pair), None))
c1.metric(t("shown", lang), f"{s.shown:,}")
c2.metric(t("countries_n", lang), s.countries)
c3.metric(t("provinces_n", lang), s.provinces)

focus_rows = atlas.pairings[atlas.pairings["pair_id"] == pair] if pair else None
case_pairs = session.case_pairs(shown)
fit = component.fit_for(f, shown, focus_rows, world_when_unfiltered=False)
args: dict[str, Any] = dict(component.cached_args(f, DECK_MAP_HEIGHT if views else MAP_HEIGHT,
                                                  session.dataset_token(), marked=case_pairs,
                                                  highlight=(pair,) if pair else (), fit_to=fit))
args.update(present=True, keys=bool(views), view=linked_view())
if shown.empty:
    st.info(t("no_match", lang))
elif f.mode == "flow" and component.cached_flows(f, session.dataset_token()).all_below_threshold:
    st.info(mapview.flow_empty_note(component.cached_flows(f, session.dataset_token()), lang))
component.show(args, key=MAP_KEY)
if views:
    step_buttons()
st.caption(t("data_date", lang, date=session.derived("data_as_of")) + t("footer_sep", lang) + export.source_line(lang))
