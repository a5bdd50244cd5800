"""City profiles: any Chinese or foreign city's partners, a map of its pairings and its case studies.

Deep link: `?city=` with an id (gn:1799962) or a name in any form (南京, 南京市, Nanjing, nanjing). A name that
fits several places offers the choice; an unknown one says so. The sidebar filters do not apply here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from geo import cases as geo_cases
from geo import mapview, stats
from geo import networks as geo_networks
from geo.i18n import label, pick, t, year_text
from pages.ui import blocks, component, session, state
from pages.ui.text import md, say, warn

lang = session.lang()
a = session.atlas()
options: pd.DataFrame = session.derived("place_choices")
index = session.derived("place_index")
labels = {r["place_id"]: stats.place_label(r, lang) for r in options.to_dict("records")}
ids = list(labels)


def levels_text(r: Mapping[Any, Any], ours: str) -> str:
    other = "partner" if ours == "cn" else "cn"
    return f"{label('lvl', r[f'{ours}_level'], lang)} — {label('lvl', r[f'{other}_level'], lang)}"


def partner_table(rows: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """One line per pairing, seen from `place_id`'s side."""
    lines = []
    for r in rows.to_dict("records"):
        ours = "cn" if r["cn_place_id"] == place_id else "partner"
        other = "partner" if ours == "cn" else "cn"
        lines.append({
            t("partner", lang): pick(r, f"{other}_name", lang),
            t("where", lang): pick(r, "partner_country" if ours == "cn" else "cn_province", lang),
            t("established", lang): year_text(r, lang),
            t("levels", lang): levels_text(r, ours),
            t("tie_kind", lang): label("tie", r["tie_type"], lang),
            t("col_tie_basis", lang): r.get("tie_basis", ""),
            t("tie_status", lang): label("status", r.get("status") or "active", lang),
            t("source", lang): r["source"],
            t("date_source", lang): r.get("date_source", ""),
        })
    return pd.DataFrame(lines)


def resolve(raw: str) -> None:
    """Say what a name that is not one place fits: nothing, or several places (each a link to its profile)."""
    hits = [h for h in index.find(raw) if h in labels]
    if not hits:
        warn("city_unknown", name=raw)
        return
    st.info(say("city_several", name=raw, n=len(hits)))
    for pid in hits[:12]:
        blocks.link("city", labels[pid], icon=":material/location_city:", city=pid)


def profile(selected: str) -> None:
    place = options[options["place_id"] == selected].iloc[0]
    rows = stats.city_partners(a.pairings, selected)
    st.header(md(labels[selected], None))
    side = t(f"city_side_{place['side']}", lang)
    st.caption(f"{side} · {t('city_filters_note', lang)}")
    dated = rows["year"].dropna()
    c1, c2, c3 = st.columns(3)
    c1.metric(t("pairings", lang), len(rows))
    c2.metric(t("dated_n", lang), len(dated))
    c3.metric(t("first_year", lang), str(int(dated.min())) if len(dated) else t("year_unknown", lang))
    links = session.case_links()
    numbers = stats.city_cases(rows, links)
    placed = rows[rows["placed"]]
    if len(placed):
        args = mapview.map_args(placed, lang=lang, color_by="era", eras=a.eras,
                                revision=component.revision(selected, lang, session.dataset_token()),
                                highlight=tuple(links[n] or "" for n in numbers),
                                fit_to=mapview.bounds_of(placed, pad=5.0), height=440,
                                case_numbers=geo_cases.case_of_pair(links))
        component.show(args, key="city_map")
    if len(rows) > len(placed):
        st.caption(t("city_unplaced", lang, n=len(rows) - len(placed)))
    st.subheader(t("city_partners", lang, n=len(rows)))
    st.dataframe(partner_table(rows, selected), hide_index=True, width="stretch",
                 height=35 * (min(len(rows), 20) + 1) + 3)
    memberships(selected)
    if numbers:
        st.subheader(t("city_cases", lang))
        for n in numbers:
            blocks.link("cases", t("open_case", lang, n=n), icon=":material/menu_book:", case=str(n))


def memberships(place_id: str) -> None:
    """The city networks (ch. 4) this place belongs to, each with its source; a city drawn at this point under
    another name (a county-level city at its parent's point) is named in its own rows."""
    nets = geo_networks.book_networks()
    rows = geo_networks.city_memberships(nets, place_id).to_dict("records")
    if not rows:
        return
    st.subheader(t("city_networks", lang, n=len({r["network_id"] for r in rows})))
    st.dataframe(pd.DataFrame({
        t("net_col_network", lang): [nets.name(r["network_id"], lang) for r in rows],
        t("net_col_city", lang): [(r["city_zh"] if lang == "zh" and r["city_zh"] else r["city_en"]) for r in rows],
        t("net_col_role", lang): [geo_networks.role_text(r["role"], lang) for r in rows],
        t("net_col_since", lang): [r["since"] or "—" for r in rows],
        t("net_col_until", lang): [r["until"] for r in rows],
        t("net_col_checked", lang): [t(f"net_check_{r['check']}", lang) if r["check"] else "" for r in rows],
        t("net_col_source", lang): [r["source_outlet"] for r in rows],
        "url": [r["source_url"] for r in rows],
    }), hide_index=True, width="stretch",
        column_config={"url": st.column_config.LinkColumn(t("data_source_link", lang))})
    blocks.link("networks", t("city_networks_link", lang), icon=":material/hub:")


def typed_name() -> None:
    """A name typed into the box (not picked from the list) becomes its place when it names exactly one;
    otherwise the box is emptied and the page says what the name fits."""
    value = st.session_state.get("city_pick")
    if value is not None and value not in labels:
        hits = [h for h in index.find(str(value)) if h in labels]
        st.session_state["city_pick"] = hits[0] if len(hits) == 1 else None
        if len(hits) != 1:
            st.session_state["city_query"] = str(value)


def found(raw: str) -> str | None:
    hits = [h for h in index.find(raw) if h in labels]
    return hits[0] if len(hits) == 1 else None


blocks.header("page_city", t("city_hint", lang))
selected = state.url_widget(
    "city", "city_pick", found,
    lambda: st.selectbox(t("city_pick", lang), ids, index=None, key="city_pick", format_func=lambda p: labels.get(p, p),
                         placeholder=t("city_placeholder", lang), accept_new_options=True, on_change=typed_name),
    on_bad=resolve)
if "city_query" in st.session_state:
    resolve(st.session_state.pop("city_query"))
if selected is not None and selected in labels:
    profile(str(selected))
