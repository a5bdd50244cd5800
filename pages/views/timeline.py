"""Timeline: pairings signed per year, the cumulative curve against the official totals, and the network as it
stood in a chosen year. Pairings of unknown year are counted and named, never silently dropped.

URL parameter of this page: `year=YYYY` (the year of the network snapshot).
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from geo import choices, mapview, stats
from geo import filters as geo_filters
from geo.i18n import era_labels, label, t
from geo.regions import LEVEL_CLASSES
from pages.ui import blocks, component, session, state

lang = session.lang()
f = state.current()
a = session.atlas()
shown = session.filtered(f)


def group_labels(dimension: str) -> tuple[dict[str, str], dict[str, str]]:
    """Display label and colour (where the map has one) for each group value of a split."""
    colors: dict[str, str] = {}
    if dimension == "era":
        labels = era_labels(a.eras.to_dict("records"), lang, years=False)
        colors = {k: mapview.ERA_COLORS.get(k, "#555555") for k in labels}
    elif dimension == "continent":
        labels = choices.option_labels(a, "continents", lang)
    elif dimension == "level":
        labels = {k: label("level", k, lang) for k in LEVEL_CLASSES}
        colors = dict(mapview.LEVEL_COLORS)
    else:
        labels = choices.option_labels(a, "bri_groups", lang)
    labels["unknown"] = t("unknown", lang)
    return labels, colors


def per_year_chart(yearly: pd.DataFrame, dimension: str) -> None:
    labels, colors = group_labels(dimension)
    order = [k for k in labels if k in set(yearly["group"])] + sorted(set(yearly["group"]) - set(labels))
    yearly["label"] = yearly["group"].map(lambda g: labels.get(g, g))
    label_order = [str(labels.get(k, k)) for k in order]
    color_scale = alt.Scale(domain=label_order, range=[colors[k] for k in order]) \
        if colors and all(k in colors for k in order) else alt.Scale(domain=label_order, scheme="tableau10")
    years = list(range(int(yearly["year"].min()), int(yearly["year"].max()) + 1))
    st.subheader(t("per_year_title", lang))
    bars = alt.Chart(yearly).mark_bar().encode(
        x=alt.X("year:O", title=t("year", lang), scale=alt.Scale(domain=years),
                axis=alt.Axis(values=[y for y in years if y % 5 == 0], labelAngle=0)),
        y=alt.Y("sum(pairings):Q", title=t("pairings", lang)),
        color=alt.Color("label:N", title=t(f"split_{dimension}", lang), scale=color_scale, sort=label_order,
                        legend=alt.Legend(orient="bottom", columns=2 if dimension == "era" else 4, labelLimit=400)),
        order=alt.Order("group:N"),
        tooltip=[alt.Tooltip("year:O", title=t("year", lang)), alt.Tooltip("label:N", title=t("group", lang)),
                 alt.Tooltip("pairings:Q", title=t("pairings", lang))],
    ).properties(height=340)
    st.altair_chart(bars, width="stretch")


def cumulative_chart() -> None:
    st.subheader(t("cum_title", lang))
    ours_name, official_name = t("series_ours", lang), t("series_official", lang)
    ours = stats.cumulative(shown).assign(series=ours_name)
    official = stats.official_vs_dated(shown, a.official_totals).assign(series=official_name)
    series_scale = alt.Scale(domain=[ours_name, official_name], range=["#1d70a2", "#c1121f"])
    legend = alt.Legend(orient="bottom", title=None, labelLimit=400)
    line = alt.Chart(ours).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[geo_filters.FIRST_YEAR, session.vocabulary().last_year + 1])),
        y=alt.Y("cumulative:Q", title=t("pairings", lang)),
        color=alt.Color("series:N", scale=series_scale, legend=legend),
        tooltip=[alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                 alt.Tooltip("cumulative:Q", title=ours_name)])
    dots = alt.Chart(official).mark_point(filled=True, size=90, opacity=1).encode(
        x="year_float:Q", y="pairs:Q", color=alt.Color("series:N", scale=series_scale, legend=legend),
        tooltip=[alt.Tooltip("date:N", title=t("date", lang)),
                 alt.Tooltip("pairs:Q", title=official_name, format=","),
                 alt.Tooltip("dated_by_then:Q", title=t("dated_by_then", lang), format=","),
                 alt.Tooltip("source_outlet:N", title=t("source", lang))])
    st.altair_chart((line + dots).properties(height=360), width="stretch")
    st.caption(t("cum_note", lang))
    with st.expander(t("official_table", lang)):
        table = official[["date", "pairs", "dated_by_then", "source_outlet"]].rename(columns={
            "date": t("date", lang), "pairs": official_name, "dated_by_then": t("dated_by_then", lang),
            "source_outlet": t("source", lang)})
        st.dataframe(table, hide_index=True, width="stretch")


def snapshot() -> None:
    """The map of the current filters as it stood in a chosen year (dated pairings only)."""
    st.subheader(t("snapshot_title", lang))
    lo, hi = int(f.year_min), int(f.year_max)
    year = hi
    if lo < hi:
        current = st.session_state.get("timeline_year")
        st.session_state["timeline_year"] = min(max(current, lo), hi) if isinstance(current, int) else hi
        year = state.url_widget(
            "year", "timeline_year", lambda raw: int(raw) if raw.isdigit() and lo <= int(raw) <= hi else None,
            lambda: int(st.slider(t("snapshot_year", lang), lo, hi, key="timeline_year")), default=hi)
    snap_filters = replace(f, year_max=year, include_unknown=False)
    n_then, n_unknown = stats.as_of_counts(geo_filters.apply(a.pairings, replace(f, include_unknown=True)), year)
    st.caption(t("snapshot_note", lang, year=year, n=f"{n_then:,}", unknown=f"{n_unknown:,}"))
    component.show(component.cached_args(snap_filters, 520, session.dataset_token()), key="timeline_map")


def main() -> None:
    if not blocks.stats_header("page_timeline", "tl_intro", shown):
        return
    n_unknown = stats.unknown_year_count(shown)
    hidden_unknown = 0
    if not f.include_unknown:
        hidden_unknown = stats.unknown_year_count(geo_filters.apply(a.pairings, replace(f, include_unknown=True)))
    dimension = st.radio(t("split", lang), list(stats.SPLITS), key="timeline_split", horizontal=True,
                         format_func=lambda d: t(f"split_{d}", lang))
    yearly = stats.per_year_split(shown, dimension)
    if yearly.empty:
        st.info(t("no_dated", lang))
    else:
        per_year_chart(yearly, dimension)
        cumulative_chart()
    st.info(t("unknown_caption", lang, n=f"{n_unknown:,}", shown=f"{len(shown):,}"))
    if hidden_unknown:
        st.caption(t("unknown_hidden", lang, n=f"{hidden_unknown:,}"))
    snapshot()


main()
