"""Chapter lenses: the book's seven comparative chapters (ch. 5–11), each opening the map and the statistics on that
chapter's countries, with a panel of figures computed from the data.

The chosen lens is the shared filter `lens` (URL `lens=japan`), so the map, rankings, timeline and Belt and Road
pages follow it until it is cleared in the sidebar. The panel counts the dataset's standing ties (what the map shows
by default); the sidebar's other filters narrow the map below it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from geo import choices, lenses
from geo import filters as geo_filters
from geo.i18n import era_labels, joined, label, pick, t, year_text
from pages.ui import blocks, component, session, state
from pages.ui.text import caption, markdown

lang = session.lang()
f = state.current()
a = session.atlas()
LENSES = lenses.book_lenses()
# The panel's figures: every standing tie (ended ones only on request, as on the map), whatever else is filtered.
BASE = geo_filters.apply(a.pairings, geo_filters.Filters())
COUNTRY_NAMES = choices.option_labels(a, "countries", lang)


def pct(x: float) -> str:
    return f"{x:.1%}"


def choose() -> None:
    """The chapter picked on this page becomes the shared lens filter (the sidebar box follows)."""
    st.session_state[state.WIDGET_KEYS["lens"]] = st.session_state.get("lens_pick") or ""


def pair_text(row: Mapping[Hashable, Any]) -> str:
    return f"{blocks.pair_name(row)}（{year_text(row, lang)}）" if lang == "zh" else \
        f"{blocks.pair_name(row)} ({year_text(row, lang)})"


@st.cache_data(show_spinner=False, max_entries=8)
def overview_table(dataset_token: str, language: str) -> pd.DataFrame:
    """One line per lens: chapter, title, page, member countries, this dataset's count and share (computed once per
    dataset and language: about 0.3 s for the nine lenses)."""
    base = geo_filters.apply(session.atlas().pairings, geo_filters.Filters())
    rows = []
    for lens in lenses.book_lenses().values():
        fig = lenses.figures(base, lens)
        part = f" — {lens.short(language)}" if lens.part_en else ""
        rows.append({
            t("lens_col_chapter", language): t("lens_chapter", language, chapter=lens.chapter),
            t("lens_col_title", language): lens.title(language) + part,
            t("lens_col_page", language): lens.page,
            t("lens_col_countries", language): fig.member_countries,
            t("pairings", language): fig.pairings,
            t("lens_col_share", language): pct(fig.share_of_dataset),
        })
    return pd.DataFrame(rows)


def overview() -> None:
    st.dataframe(overview_table(session.dataset_token(), lang), hide_index=True, width="stretch")


def counts_table(df: pd.DataFrame, key: str, names: dict[str, str], total: int) -> pd.DataFrame:
    return pd.DataFrame({
        t("name", lang): [names.get(str(v), str(v)) for v in df[key]],
        t("pairings", lang): df["pairings"],
        t("lens_col_share", lang): [pct(n / total) if total else "—" for n in df["pairings"]],
    })


def sentences(lens: lenses.Lens, fig: lenses.LensFigures) -> None:
    """What the figures say, in words written from the data."""
    if fig.member_countries == 1:
        markdown("lens_says_total_one", n=f"{fig.pairings:,}", total=f"{len(BASE):,}", share=pct(fig.share_of_dataset),
                 country=COUNTRY_NAMES.get(lens.countries[0], lens.countries[0]))
    else:
        markdown("lens_says_total", n=f"{fig.pairings:,}", total=f"{len(BASE):,}", share=pct(fig.share_of_dataset),
                 with_ties=fig.countries_with_ties, members=fig.member_countries)
    if lens.level_focus and fig.pairings:
        markdown(f"lens_says_focus_{lens.level_focus}", n=f"{fig.focus_level:,}",
                 share=pct(fig.focus_level / fig.pairings))
    if len(fig.first):
        markdown("lens_says_first", year=str(fig.first["established"].iloc[0])[:4],
                 pairs=joined((pair_text(r) for r in fig.first.to_dict("records")), lang))
    if fig.dated:
        markdown("lens_says_dated", dated=f"{fig.dated:,}", share=pct(fig.dated / fig.pairings))
        if fig.growth_since_2013 is not None:
            markdown("lens_says_growth", since=f"{fig.since_2013:,}", before=f"{fig.before_2013:,}",
                     share=pct(fig.since_2013_share), growth=f"{fig.growth_since_2013:.0%}")
        else:
            markdown("lens_says_growth_all_new", since=f"{fig.since_2013:,}")
    if len(fig.top_provinces):
        top = fig.top_provinces.head(3).to_dict("records")
        names = [f"{pick(r, 'cn_province', lang)} ({r['pairings']})" for r in top]
        markdown("lens_says_provinces", names=joined(names, lang))


def highlighted(lens: lenses.Lens, fig: lenses.LensFigures) -> None:
    """The partner units the chapter singles out (ch. 7: Tokyo, Hokkaido, Niigata) and their ties with China."""
    if not lens.highlight:
        return
    st.subheader(t("lens_highlight_title", lang))
    units = joined((zh if lang == "zh" and zh else en for en, zh in lens.highlight), lang)
    caption("lens_highlight_note", units=units, n=len(fig.highlighted))
    rows = fig.highlighted.sort_values(["partner_name_en", "year"], na_position="last").to_dict("records")
    st.dataframe(pd.DataFrame({
        t("partner", lang): [pick(r, "partner_name", lang) for r in rows],
        t("lens_cn_side", lang): [pick(r, "cn_name", lang) for r in rows],
        t("province", lang): [pick(r, "cn_province", lang) for r in rows],
        t("established", lang): [year_text(r, lang) for r in rows],
        t("level", lang): [label("level", r["level_class"], lang) for r in rows],
        t("col_tie_basis", lang): [r.get("tie_basis", "") for r in rows],
    }), hide_index=True, width="stretch")


def panel(lens: lenses.Lens) -> None:
    fig = lenses.figures(BASE, lens)
    st.header(lens.label(lang))
    caption("lens_title_page", title=lens.title(lang), page=lens.page)
    caption("lens_basis", basis=lens.basis(lang), source=lens.source_outlet)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("pairings", lang), f"{fig.pairings:,}")
    c2.metric(t("lens_share_metric", lang), pct(fig.share_of_dataset))
    c3.metric(t("lens_countries_metric", lang), f"{fig.countries_with_ties} / {fig.member_countries}")
    c4.metric(t("lens_since_2013_metric", lang), f"{fig.since_2013:,}")
    st.caption(t("lens_panel_note", lang))
    sentences(lens, fig)
    left, right = st.columns(2)
    with left:
        st.subheader(t("lens_by_level", lang))
        levels = {k: label("level", k, lang) for k in fig.by_level["level_class"]}
        st.dataframe(counts_table(fig.by_level, "level_class", levels, fig.pairings), hide_index=True, width="stretch")
        st.subheader(t("lens_by_era", lang))
        st.dataframe(counts_table(fig.by_era, "era_id", era_labels(a.eras.to_dict("records"), lang), fig.pairings),
                     hide_index=True, width="stretch")
    with right:
        st.subheader(t("lens_top_provinces", lang))
        provinces = {str(r["cn_province_en"]): pick(r, "cn_province", lang)
                     for r in fig.top_provinces.to_dict("records")}
        st.dataframe(counts_table(fig.top_provinces, "cn_province_en", provinces, fig.pairings), hide_index=True,
                     width="stretch")
        st.subheader(t("lens_top_partners", lang))
        top = fig.top_partners.to_dict("records")
        st.dataframe(pd.DataFrame({
            t("partner", lang): [pick(r, "partner_name", lang) for r in top],
            t("country", lang): [COUNTRY_NAMES.get(r["partner_country_iso3"], r["partner_country_iso3"]) for r in top],
            t("pairings", lang): [r["pairings"] for r in top],
        }), hide_index=True, width="stretch")
    highlighted(lens, fig)
    with st.expander(t("lens_by_country", lang, n=fig.member_countries)):
        by = fig.by_country.to_dict("records")
        st.dataframe(pd.DataFrame({
            t("country", lang): [COUNTRY_NAMES.get(r["partner_country_iso3"], r["partner_country_iso3"]) for r in by],
            t("lens_joined", lang): [str(r["since"]) if pd.notna(r["since"]) else "—" for r in by],
            t("pairings", lang): [r["pairings"] for r in by],
        }), hide_index=True, width="stretch")
    lens_map(lens)


def lens_map(lens: lenses.Lens) -> None:
    """The lens's pairings under the sidebar's filters, the chapter's singled-out ties drawn strongly."""
    st.subheader(t("lens_map_title", lang))
    shown = session.filtered(f)
    blocks.figures(shown)
    marked = tuple(sorted(shown.loc[lenses.highlight_mask(shown, lens), "pair_id"]))
    args = component.cached_args(f, 520, session.dataset_token(), highlight=marked,
                                 fit_to=component.bounds(shown, pad=4.0))
    if shown.empty:
        st.info(t("no_match", lang))
    component.show(args, key="lens_map")
    st.caption(t("lens_open_note", lang))
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        blocks.link("map", t("lens_open_map", lang), icon=":material/map:")
    with c2:
        blocks.link("rankings", t("page_rankings", lang), icon=":material/leaderboard:")
    with c3:
        blocks.link("timeline", t("page_timeline", lang), icon=":material/timeline:")
    with c4:
        blocks.link("bri", t("page_bri", lang), icon=":material/explore:")


def option(lens_id: str) -> str:
    """'第7章 日本：自治体的国际化与对外交往（第177页）', a part of ch. 11 named after the title."""
    lens = LENSES[lens_id]
    part = lens.part_zh if lang == "zh" else lens.part_en
    return t("lens_option", lang, chapter=lens.chapter, title=lens.title(lang), page=lens.page,
             part=t("lens_option_part", lang, part=part) if part else "")


blocks.header("page_lenses", t("lens_intro", lang))
overview()
ids = list(LENSES)
st.session_state["lens_pick"] = f.lens or None  # the page's picker follows the shared filter
st.radio(t("lens_pick", lang), ids, index=None, key="lens_pick", on_change=choose,
         format_func=option)
if f.lens in LENSES:
    panel(LENSES[f.lens])
else:
    st.info(t("lens_none", lang))
