"""City international organisations (the book's ch. 4): which Chinese cities belong to which network, since when and
on what source; the networks' headquarters and members abroad; the map with the networks layer.

Choosing a network here (or in the sidebar, URL `net=c40`) narrows the pairings everywhere to the ties whose
Chinese side is one of its member cities.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from geo import networks as geo_networks
from geo.i18n import pick, t
from pages.ui import blocks, component, session, state
from pages.ui.text import caption

lang = session.lang()
f = state.current()
NETS = geo_networks.book_networks()
NAMES = NETS.names(lang)
COUNTS = geo_networks.counts(NETS).set_index("network_id")
CITIES = {str(k): int(v) for k, v in COUNTS["cities"].items()}
LINK = {"url": st.column_config.LinkColumn(t("data_source_link", lang))}
_prov = session.atlas().provinces
PROVINCES = dict(zip(_prov["province_en"], _prov["province_zh" if lang == "zh" else "province_en"], strict=True))


def choose() -> None:
    """The network picked on this page becomes the shared filter (the sidebar box follows)."""
    st.session_state[state.WIDGET_KEYS["network"]] = st.session_state.get("net_pick") or ""


def check_text(row: Mapping[Hashable, Any]) -> str:
    """How the membership was checked, in the interface language; the research's own wording when it says more."""
    checked = str(row["checked"])
    kind = geo_networks.check_kind(checked)
    text = t(f"net_check_{kind}", lang)
    return f"{text} ({checked})" if kind == "agree" and checked != "two readings agree" else text


def name(name_zh: str, name_en: str) -> str:
    """The name in the interface language; an English name standing in for a missing Chinese one is marked (the
    mark is explained under the table), so the languages are not mixed silently."""
    return geo_networks.marked_name(name_zh, name_en, lang)


def english_note(*columns: list[str]) -> None:
    """Under a table: what the mark on an English name means (only when a name is marked)."""
    mark = t("net_en_only_mark", lang)
    if lang == "zh" and any(v.endswith(mark) for values in columns for v in values):
        st.caption(t("net_en_only_note", lang, mark=mark))


def networks_table() -> None:
    rows = []
    for r in NETS.networks.to_dict("records"):
        c = COUNTS.loc[r["network_id"]]
        rows.append({
            t("net_col_network", lang): name(r["name_zh"], r["name_en"]),
            t("net_col_founded", lang): r["founded"] or "—",
            t("net_col_hq", lang): name(r["hq_name_zh"], r["hq_city_en"]), t("net_col_cities", lang): int(c["cities"]),
            t("net_col_agreed", lang): int(c["cities_agreed"]), t("net_col_observers", lang): int(c["observers"]),
            t("net_col_abroad", lang): int(c["abroad"]), t("net_col_source", lang): r["source_outlet"],
            "url": r["url"] or None,
        })
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn(t("net_col_site", lang))})
    english_note(list(table[t("net_col_network", lang)]), list(table[t("net_col_hq", lang)]))


def network_name(network_id: str) -> str:
    return geo_networks.network_label(NETS, network_id, lang)


def memberships_table() -> None:
    """One row per network and city: the pages read about it are merged (roles, sources, how it was checked)."""
    rows = geo_networks.membership_rows(NETS, f.network).to_dict("records")
    networks = [network_name(r["network_id"]) for r in rows]
    st.dataframe(pd.DataFrame({
        t("net_col_network", lang): networks,
        t("net_col_city", lang): [name(r["city_zh"], r["city_en"]) for r in rows],
        t("province", lang): [PROVINCES.get(r["province_en"], r["province_en"]) for r in rows],
        t("net_col_role", lang): [t("list_sep", lang).join(geo_networks.role_text(x, lang) for x in r["roles"])
                                  for r in rows],
        t("net_col_since", lang): [r["since"] or "—" for r in rows],
        t("net_col_until", lang): [r["until"] for r in rows],
        t("net_col_checked", lang): [check_text(r) for r in rows],
        t("net_col_readings", lang): [r["readings"] for r in rows],
        t("net_col_source", lang): [r["sources"] for r in rows],
        "url": [r["source_url"] for r in rows],
        t("net_col_evidence", lang): [r["evidence"] for r in rows],
        t("col_note", lang): [r["note"] for r in rows],
    }), hide_index=True, width="stretch", height=420, column_config=LINK)
    english_note(networks)


def abroad_table() -> None:
    ab = NETS.abroad
    if f.network:
        ab = ab[ab["network_id"] == f.network]
    if ab.empty:
        st.info(t("net_abroad_none", lang))
        return
    rows = ab.to_dict("records")
    networks = [network_name(r["network_id"]) for r in rows]
    cities = [name(r["city_zh"], r["city_en"]) for r in rows]
    st.dataframe(pd.DataFrame({
        t("net_col_network", lang): networks,
        t("net_col_city", lang): cities,
        t("country", lang): [pick(r, "country", lang) for r in rows],
        t("net_col_role", lang): [geo_networks.role_text(r["role"], lang) for r in rows],
        t("net_col_since", lang): [r["since"] or "—" for r in rows],
        t("net_col_source", lang): [r["source_outlet"] for r in rows],
        "url": [r["source_url"] for r in rows],
        t("col_note", lang): [r["note"] for r in rows],
    }), hide_index=True, width="stretch", height=320, column_config=LINK)
    english_note(networks, cities)
    missing = geo_networks.unplaced_abroad(NETS)
    if f.network:
        missing = missing[missing["network_id"] == f.network]
    for r in missing.to_dict("records"):
        caption("net_unplaced", city=r["city_en"], network=NAMES[r["network_id"]])


def network_map() -> None:
    """The pairings under the filters with the networks layer (the chosen network's points only)."""
    shown = session.filtered(f)
    args = component.cached_args(f, 520, session.dataset_token(), overlays=geo_networks.overlays(NETS, lang, f.network))
    blocks.figures(shown)
    if shown.empty:
        st.info(t("no_match", lang))
    component.show(args, key="networks_map")
    st.caption(t("net_map_note", lang))


blocks.header("page_networks", t("net_intro", lang))
with_members = int((COUNTS["cities"] > 0).sum())
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("net_metric_networks", lang), f"{with_members} / {len(COUNTS)}")
c2.metric(t("net_metric_cities", lang), geo_networks.member_cities(NETS))
c3.metric(t("net_metric_rows", lang), len(NETS.members))
agreed = int((NETS.members["check"] == "agree").sum())
c4.metric(t("net_metric_agreed", lang), f"{agreed / len(NETS.members):.0%}")
st.caption(t("net_checks_note", lang))
st.session_state["net_pick"] = f.network or None  # the page's picker follows the shared filter
st.selectbox(t("net_pick", lang), list(NAMES), index=None, key="net_pick", on_change=choose,
             format_func=lambda i: NAMES.get(i, i), placeholder=t("all", lang))
if f.network:
    caption("net_chosen", network=NAMES[f.network], cities=CITIES[f.network],
            n=len(session.filtered(f)))
st.subheader(t("net_networks_title", lang))
networks_table()
network_map()
st.subheader(t("net_members_title", lang))
memberships_table()
st.subheader(t("net_abroad_title", lang))
abroad_table()
