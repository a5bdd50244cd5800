"""Belt and Road: pairings per group of the 65-country list, and one group's map, periods and leading provinces.

URL parameter of this page: `group=<id>` (the group whose map is shown).
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from geo import choices, stats
from geo import filters as geo_filters
from geo.i18n import joined, t
from pages.ui import blocks, component, session, state
from pages.ui.text import caption, markdown, md

lang = session.lang()
f = state.current()
a = session.atlas()
shown = session.filtered(f)
GROUPS: list[str] = [str(g) for g in dict.fromkeys(a.bri["bri_group"])]
NAMES = choices.option_labels(a, "bri_groups", lang)
PERIODS = ["before_2013", "since_2013", "year_unknown"]
PERIOD_KEYS = {"before_2013": "before_2013", "since_2013": "since_2013", "year_unknown": "year_unknown_col"}


def list_source() -> str:
    # Rows may name several sources joined by "; " — list each one once.
    parts = (part.strip() for s in a.bri["source_outlet"] for part in str(s).split(";"))
    return joined((p for p in dict.fromkeys(parts) if p), lang) or "—"


def group_table(table: pd.DataFrame) -> None:
    view = pd.DataFrame({t("bri_group", lang): [NAMES.get(g, g) for g in table["bri_group"]],
                         t("pairings", lang): table["pairings"],
                         **{t(PERIOD_KEYS[p], lang): table[p] for p in PERIODS}})
    st.dataframe(view, hide_index=True, width="stretch")
    period_labels = {p: t(PERIOD_KEYS[p], lang) for p in PERIODS}
    long = table.melt(id_vars="bri_group", value_vars=PERIODS, var_name="period", value_name="n")
    long["group"] = long["bri_group"].map(lambda g: NAMES.get(g, g))
    long["period_label"] = long["period"].map(period_labels)
    long["period_order"] = long["period"].map(PERIODS.index)
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y("group:N", sort=[NAMES.get(g, g) for g in table["bri_group"]], title=None),
        x=alt.X("n:Q", title=t("pairings", lang)),
        color=alt.Color("period_label:N", sort=list(period_labels.values()), title=None,
                        scale=alt.Scale(domain=list(period_labels.values()), range=["#e85d04", "#2a9d8f", "#8d99ae"]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("period_order:Q"),
        tooltip=[alt.Tooltip("group:N", title=t("group", lang)), alt.Tooltip("period_label:N", title=t("period", lang)),
                 alt.Tooltip("n:Q", title=t("pairings", lang))],
    ).properties(height=40 * len(table) + 40)
    st.altair_chart(bars, width="stretch")


def one_group(table: pd.DataFrame) -> None:
    """The chosen group's map, periods and leading provinces (the sidebar's group filter is replaced)."""
    default = next((g for g in table["bri_group"] if g in GROUPS), GROUPS[0]) if not table.empty else GROUPS[0]
    if st.session_state.get("bri_pick") not in GROUPS:
        st.session_state["bri_pick"] = default
    group = state.url_widget(
        "group", "bri_pick", lambda raw: raw if raw in GROUPS else None,
        lambda: str(st.selectbox(t("bri_pick", lang), GROUPS, key="bri_pick", format_func=lambda g: NAMES.get(g, g))),
        default=default)
    group_filters = replace(f, bri_groups=(group,))
    rows = geo_filters.apply(a.pairings, group_filters)
    st.subheader(md(NAMES.get(group, group), None))
    if rows.empty:
        st.info(t("bri_group_empty", lang))
        return
    p = stats.bri_periods(rows, group)
    markdown("bri_periods", group=NAMES.get(group, group), n=f"{p['pairings']:,}", before=f"{p['before_2013']:,}",
             since=f"{p['since_2013']:,}", unknown=f"{p['year_unknown']:,}")
    left, right = st.columns([3, 1])
    with left:
        st.caption(t("bri_map_note", lang))
        args = component.cached_args(group_filters, 480, session.dataset_token(),
                                     fit_to=component.bounds(rows, pad=4.0))
        component.show(args, key="bri_map")
    with right:
        st.markdown(f"**{t('bri_leading', lang)}**")
        lead = stats.leading_provinces(rows, group, top=8)
        provinces = choices.option_labels(a, "provinces", lang)
        st.dataframe(pd.DataFrame({t("province", lang): [provinces.get(k, k) for k in lead["cn_province_en"]],
                                   t("pairings", lang): lead["pairings"]}), hide_index=True, width="stretch")
    blocks.unplaced_list(rows)


def main() -> None:
    if not blocks.stats_header("page_bri", "bri_intro", shown):
        return
    with st.expander(t("bri_source_title", lang)):
        caption("bri_source", source=list_source())
    table = stats.bri_table(shown)
    st.subheader(t("bri_table", lang))
    if table.empty:
        st.info(t("no_match", lang))
    else:
        group_table(table)
    st.divider()
    one_group(table)


main()
