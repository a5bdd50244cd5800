"""Belt and Road: pairings per group of the 65-country list, and one group's map, periods and leading provinces."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from geo import filters as geo_filters
from geo import mapview, stats
from geo.i18n import t
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
f = _ui.current_filters()
a = _ui.atlas()
shown = _ui.filtered()
L = 0 if language == "zh" else 1

GROUPS: list[str] = [str(g) for g in dict.fromkeys(a.bri["bri_group"])]
NAMES: dict[str, tuple[str, str]] = {str(r["bri_group"]): (str(r["group_zh"]), str(r["group_en"]))
                                     for r in a.bri.to_dict("records")}


def group_name(group: str) -> str:
    return NAMES.get(group, (group, group))[L]


def list_source() -> str:
    # Rows may name several sources joined by "; " — list each one once.
    parts = (part.strip() for s in a.bri["source_outlet"] for part in str(s).split(";"))
    sources = [p for p in dict.fromkeys(parts) if p]
    return "; ".join(sources) if sources else "data/bri_countries.csv"


def main() -> None:
    if not _ui.stats_header(t("page_bri", language), t("st_bri_intro", language, source=list_source()), shown):
        return

    table = stats.bri_table(shown)
    st.subheader(t("st_bri_table", language))
    if table.empty:
        st.info(t("no_match", language))
    else:
        view = pd.DataFrame({
            t("st_group_zh", language): [NAMES.get(g, (g, g))[0] for g in table["bri_group"]],
            t("st_group_en", language): [NAMES.get(g, (g, g))[1] for g in table["bri_group"]],
            t("st_pairings", language): table["pairings"],
            t("st_before_2013", language): table["before_2013"],
            t("st_since_2013", language): table["since_2013"],
            t("st_year_unknown_col", language): table["year_unknown"],
        })
        st.dataframe(view, hide_index=True, width="stretch")
        periods = ["before_2013", "since_2013", "year_unknown"]
        period_labels = {"before_2013": t("st_before_2013", language), "since_2013": t("st_since_2013", language),
                         "year_unknown": t("st_year_unknown_col", language)}
        long = table.melt(id_vars="bri_group", value_vars=periods, var_name="period", value_name="n")
        long["group"] = long["bri_group"].map(group_name)
        long["period_label"] = long["period"].map(period_labels)
        long["period_order"] = long["period"].map(periods.index)
        bars = alt.Chart(long).mark_bar().encode(
            y=alt.Y("group:N", sort=[group_name(g) for g in table["bri_group"]], title=None),
            x=alt.X("n:Q", title=t("st_pairings", language)),
            color=alt.Color("period_label:N", sort=[period_labels[p] for p in periods], title=None,
                            scale=alt.Scale(domain=[period_labels[p] for p in periods],
                                            range=["#e85d04", "#2a9d8f", "#8d99ae"]),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("period_order:Q"),
            tooltip=[alt.Tooltip("group:N", title=t("st_group", language)),
                     alt.Tooltip("period_label:N", title=t("st_period", language)),
                     alt.Tooltip("n:Q", title=t("st_pairings", language))],
        ).properties(height=40 * len(table) + 40)
        st.altair_chart(bars, width="stretch")

    st.divider()
    default = next((g for g in table["bri_group"] if g in GROUPS), GROUPS[0]) if not table.empty else GROUPS[0]
    group = str(st.selectbox(t("st_bri_pick", language), GROUPS, index=GROUPS.index(default), key="bri_pick",
                         format_func=lambda g: f"{NAMES[g][0]} · {NAMES[g][1]}"))
    group_filters = replace(f, bri_groups=(group,))
    rows = geo_filters.apply(a.pairings, group_filters)
    p = stats.bri_periods(rows, group)
    st.subheader(group_name(group))
    if rows.empty:
        st.info(t("st_bri_group_empty", language))
        return
    st.markdown(t("st_bri_periods", language, group=group_name(group), n=f"{p['pairings']:,}",
                  before=f"{p['before_2013']:,}", since=f"{p['since_2013']:,}", unknown=f"{p['year_unknown']:,}"))
    left, right = st.columns([3, 1])
    with left:
        st.caption(t("st_bri_map_note", language))
        fit = mapview.bounds_of(rows, pad=4.0)
        revision = hash((group_filters, "bri")) & 0x7FFFFFFF
        args = _ui.cached_map_args(group_filters, (), tuple((x[0], x[1]) for x in fit) if fit else None, "", 480,
                                   revision, _ui.dataset_token())
        _ui.atlas_map(args, key="bri_map")
    with right:
        st.markdown(f"**{t('st_bri_leading', language)}**")
        lead = stats.leading_provinces(rows, group, top=8)
        prov = {r.province_en: (r.province_zh, r.province_en) for r in a.provinces.itertuples()}
        st.dataframe(pd.DataFrame({
            t("province", language): [prov.get(k, (k, k))[L] for k in lead["cn_province_en"]],
            t("st_pairings", language): lead["pairings"]}), hide_index=True, width="stretch")
    _ui.unplaced_list(rows)


main()
