"""The map: every pairing as an arc (or province→country flows), with the shared filters.

URL parameters of this page: `pair=P…` or `case=N` focus one pairing; `sel=<place id>` lists a clicked place's
partners; `view=lat,lon,zoom` is the map's view, written after each pan or zoom; `deck` holds the views saved for
presentation mode (geo.deck). In flow mode, `flow` and `fmin` choose the grouping and the smallest flow drawn.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from geo import deck as geo_deck
from geo import export, lenses, mapview, networks
from geo import filters as geo_filters
from geo.choices import FIELD_LABEL
from geo.i18n import joined, label, pick, t, year_text
from pages.ui import blocks, component, exports, session, state
from pages.ui import deck as deck_ui
from pages.ui.text import info, say, warn

lang = session.lang()
f = state.current()
a = session.atlas()
shown = session.filtered(f)
links = session.case_links()
TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"


def focused_pair() -> pd.DataFrame | None:
    """The pairing a `case=N` or `pair=P…` link points at (a bad value is reported and dropped)."""
    pair_id = state.param("pair")
    case = state.param("case")
    if case is not None:
        number = int(case) if case.isdigit() else None
        if number in links and links[number]:
            pair_id = links[number]
        else:
            warn("case_unknown", n=case)
            state.set_param("case", None)
    if not pair_id:
        return None
    look = session.resolve_pair(pair_id)
    if look.kind == "alias":  # an id from before a data update: open its pairing and put the new id in the URL
        info("pair_renamed", old=look.asked, new=look.pair_id)
        if state.param("pair") == look.asked:
            state.set_param("pair", look.pair_id)
    elif look.kind != "found":
        if look.kind == "gone":
            warn("pair_gone", old=look.asked, reason=look.reason)
        else:
            warn("bad_param", key="pair", value=pair_id)
        state.set_param("pair", None)
        return None
    return session.pairing(look.pair_id)


def name_hidden_pair(rows: pd.DataFrame) -> None:
    """A linked pairing the filters hide: say which filters, and offer to clear them."""
    if (shown["pair_id"] == rows["pair_id"].iloc[0]).any():
        return
    hiding = geo_filters.hiding(rows, f)
    names = joined(dict.fromkeys(t(FIELD_LABEL[n], lang) for n in hiding), lang)
    c1, c2 = st.columns([4, 1])
    c1.warning(say("pair_hidden", pair=blocks.pair_name(rows.iloc[0].to_dict()), filters=names), icon="⚠️")
    c2.button(t("pair_hidden_clear", lang), on_click=state.reset, args=(hiding,), key="clear_hiding")


def linked_view() -> dict[str, Any] | None:
    """The view a link brought (kept unchanged afterwards, so the map is not redrawn as the user pans)."""
    raw = state.param("view")
    seen = st.session_state.setdefault("_url_seen", {})
    if raw is not None and raw != seen.get("view"):
        view, why = mapview.read_view(raw)
        if view is None:
            warn("bad_view", key="view", value=raw, why=t(why, lang))
            state.set_param("view", None)
        st.session_state["map_view_arg"] = view
        seen["view"] = raw
    return st.session_state.get("map_view_arg")  # type: ignore[no-any-return]


def place_panel(place_id: str) -> None:
    """The partners of the selected place under the current filters, with a link to its profile."""
    rows = shown[(shown["cn_place_id"] == place_id) | (shown["partner_place_id"] == place_id)]
    if not len(rows):
        known = (a.pairings["cn_place_id"] == place_id) | (a.pairings["partner_place_id"] == place_id)
        if not known.any():
            warn("bad_param", key="sel", value=place_id)
            state.set_param("sel", None)
        return
    first = rows.iloc[0].to_dict()
    ours = "cn" if first["cn_place_id"] == place_id else "partner"
    head, close = st.columns([6, 1])
    head.subheader(say("partners_of", name=pick(first, f"{ours}_name", lang)))
    close.button(t("close", lang), key="close_place", on_click=state.set_param, args=("sel", None))
    other = "partner" if ours == "cn" else "cn"
    records = rows[[f"{other}_name_zh", f"{other}_name_en", "partner_country_zh", "partner_country_en",
                    "cn_province_zh", "cn_province_en", "established", "level_class", "status", "source"]
                   ].to_dict("records")  # the columns shown only: a busy city has thousands of partners
    table = pd.DataFrame({
        t("partner", lang): [pick(r, f"{other}_name", lang) for r in records],
        t("country" if ours == "cn" else "province", lang): [
            pick(r, "partner_country" if ours == "cn" else "cn_province", lang) for r in records],
        t("established", lang): [year_text(r, lang) for r in records],
        t("level", lang): [label("level", r["level_class"], lang) for r in records],
        t("tie_status", lang): [label("status", r.get("status") or "active", lang) for r in records],
        t("source", lang): [r["source"] for r in records],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    blocks.link("city", f"{t('page_city', lang)} →", city=place_id)


def case_panel(pair_id: str) -> None:
    numbers = [n for n, p in links.items() if p == pair_id]
    if not numbers:
        return
    case = next(c for c in session.case_list() if c["number"] == numbers[0])
    st.subheader(say("case_heading", n=case["number"], title=blocks.case_title(case)))
    st.write(case["summary_zh" if lang == "zh" else "summary_en"])
    blocks.link("cases", t("open_case", lang, n=case["number"]), case=str(case["number"]))


@st.fragment
def map_block(args: dict[str, Any]) -> None:
    """The map and what a click on it opens; a click or a pan reruns only this block."""
    event = component.show(args, key="main_map")
    if event:
        kind = event.get("event")
        if kind == "view" and isinstance(event.get("center"), list):
            lat, lon = event["center"]
            state.set_param("view", f"{float(lat):.2f},{float(lon):.2f},{float(event.get('zoom', 2)):g}")
        elif kind == "place":
            state.set_param("sel", str(event.get("place_id", "")))
        elif kind == "pair":
            st.session_state["map_pair"] = str(event.get("pair_id", ""))
    selected = state.param("sel")
    if selected:
        place_panel(selected)
    if st.session_state.get("map_pair"):
        case_panel(st.session_state["map_pair"])


def flow_controls() -> None:
    """How flows are grouped and the smallest one drawn (view settings in the URL: `flow`, `fmin`)."""
    d1, d2, _ = st.columns([2, 2, 1])
    d1.selectbox(t("flow_level", lang), list(geo_filters.FLOW_LEVELS), key=state.WIDGET_KEYS["flow_level"],
                 format_func=lambda k: t(f"flow_level_{k}", lang))
    d2.number_input(t("flow_min", lang), min_value=0, max_value=geo_filters.MAX_FLOW_MIN, step=1,
                    key=state.WIDGET_KEYS["flow_min"], help=t("flow_min_help", lang))


def lower_threshold(value: int) -> None:
    st.session_state[state.WIDGET_KEYS["flow_min"]] = value


def threshold_row() -> None:
    """When pairings match but no flow reaches the threshold: say so (not 'no pairings match') and offer to
    lower the threshold to the largest flow."""
    flows = component.cached_flows(f, session.dataset_token())
    if not flows.all_below_threshold:
        return
    c1, c2 = st.columns([4, 1])
    c1.info(mapview.flow_empty_note(flows, lang))
    c2.button(t("flow_lower", lang, k=f"{flows.largest:,}"), on_click=lower_threshold, args=(flows.largest,),
              key="flow_lower")


def flow_list() -> None:
    """The largest flows, ranked, beside the map."""
    flows = component.cached_flows(f, session.dataset_token())
    st.subheader(t("flow_top", lang))
    table = mapview.flow_ranking(flows, lang)
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (min(len(table), 16) + 1) + 3)


def deck_row() -> None:
    """Save the view on screen for presenting; the saved views go into this page's link and open in
    presentation mode."""
    saved = deck_ui.views()
    c1, c2, c3, c4 = st.columns([2, 1, 2, 1])
    c1.button(t("deck_save", lang), on_click=deck_ui.save, args=(f,), key="deck_save", help=t("deck_help", lang))
    if saved:
        c2.caption(t("deck_saved", lang, n=len(saved)))
        with c3:
            blocks.link("present", t("deck_present", lang), icon=":material/slideshow:",
                        deck=geo_deck.encode(saved), slide="1")
        c4.button(t("deck_clear", lang), on_click=deck_ui.clear, key="deck_clear")


blocks.header("app_title", t("app_subtitle", lang))
blocks.figures(shown)
# The two layer toggles share one column, one above the other: side by side their labels were cut off at 1280 px.
c1, c2, c3 = st.columns([2, 2, 1.5])
c1.radio(t("color_by", lang), list(geo_filters.COLOR_BY), key=state.WIDGET_KEYS["color_by"], horizontal=True,
         format_func=lambda k: t(f"color_{k}", lang))
c2.radio(t("mode", lang), list(geo_filters.MODES), key=state.WIDGET_KEYS["mode"], horizontal=True,
         format_func=lambda k: t(f"mode_{k}", lang))
tiles_on = c3.toggle(t("tiles_online", lang), value=False, key="w_tiles", help=t("tiles_online_help", lang))
# The city-networks layer (ch. 4): on when asked for, and always when the pairings are narrowed to one network.
networks_on = c3.toggle(t("net_layer_toggle", lang), value=False, key="w_net_layer") or bool(f.network)
if f.mode == "flow":
    flow_controls()

focus = focused_pair()
if focus is not None:
    name_hidden_pair(focus)
case_pairs = session.case_pairs(shown)
# A chapter lens draws the ties its chapter singles out strongly (ch. 7: Tokyo, Hokkaido and Niigata with China).
lens_pairs = tuple(sorted(shown.loc[lenses.highlight_mask(shown, lenses.get(f.lens)), "pair_id"])) if f.lens else ()
args = component.cached_args(
    f, 640, session.dataset_token(),
    highlight=((str(focus["pair_id"].iloc[0]),) if focus is not None else ()) + lens_pairs,
    fit_to=component.fit_for(f, shown, focus), tiles_url=TILES if tiles_on else "",
    marked=case_pairs,
    overlays=networks.overlays(networks.book_networks(), lang, f.network) if networks_on else None)
args["view"] = linked_view()
args["report_view"] = True
if tiles_on:
    args["tiles_attribution"] = "© OpenStreetMap contributors"
if shown.empty:
    st.info(t("no_match", lang))
elif f.mode == "flow":
    threshold_row()
if f.mode == "flow":
    left, right = st.columns([7, 3])
    with left:
        map_block(args)
    with right:
        flow_list()
else:
    map_block(args)
deck_row()


def export_focus() -> export.Focus:
    """What the exports mark: the focused pairing (and its book case) and the selected place, as the map shows."""
    pair_id = str(focus["pair_id"].iloc[0]) if focus is not None else ""
    case = next((n for n, p in links.items() if pair_id and p == pair_id), None)
    return export.Focus(pair_id=pair_id, case=case, place_id=state.param("sel") or "")


exports.render(exports.View(shown, f, a, args, export_focus()))
blocks.unplaced_list(shown, view=f)
