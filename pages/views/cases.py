"""The book's 20 case studies: one panel each, linked to the map both ways (`?case=N` opens one)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import mapview
from geo.i18n import label, t
from pages.ui import blocks, component, session, state
from pages.ui.text import md, warn

lang = session.lang()
a = session.atlas()
cases = session.case_list()
links = session.case_links()
numbers = [c["number"] for c in cases]
VERIFICATION = {"confirmed": "verified_confirmed", "partial": "verified_partial", "per_book": "per_book"}


def title_of(case: dict[str, Any]) -> str:
    return f"{case['number']}. {blocks.case_title(case)}"


def badge(affinity: str, inferred: bool) -> str:
    return f":blue-badge[{label('affinity', affinity, lang)}{'*' if inferred else ''}]"


def panel(case: dict[str, Any], selected: bool) -> None:
    """One case: facts with sources, affinities with their basis, and (when chosen) its pairing on a map."""
    st.subheader(md(title_of(case), None))
    level = " ↔ ".join(label("lvl", str(case.get(side, "")), lang) for side in ("cn_level", "partner_level"))
    established = case.get("established") or t("year_unknown", lang)
    verification = t(VERIFICATION.get(case["verification"], "per_book"), lang)
    st.markdown(" · ".join(f"**{t(k, lang)}**{t('colon', lang)}{md(v)}" for k, v in (
        ("established", established), ("level", level), ("verification", verification))))
    note = case.get(f"date_note_{lang}")
    if note:
        st.caption(md(note, None))
    st.markdown(" ".join(badge(x["affinity"], bool(x.get("inferred", True))) for x in case["affinities"]) +
                "  \\* " + t("inferred", lang))
    st.write(case[f"summary_{lang}"])
    left, right = st.columns([3, 2])
    with left:
        for x in case["affinities"]:
            basis = md(x[f"basis_{lang}"], None)
            st.markdown(f"- **{label('affinity', x['affinity'], lang)}**{t('colon', lang)}{basis}")
        for fact in case["facts"]:
            source = md(fact["source_outlet"], None)
            if str(fact.get("source_url", "")).startswith(("https://", "http://")):
                source = f"[{source}]({fact['source_url']})"
            status = "" if fact.get("status") == "confirmed" else \
                f" _({t(VERIFICATION.get(fact.get('status', ''), 'per_book'), lang)})_"
            st.markdown(f"- {md(fact[lang], None)} — {source}{status}")
    pair_id = links.get(case["number"])
    with right:
        if not pair_id:
            st.info(t("case_no_pair", lang))
            return
        rows = a.pairings[a.pairings["pair_id"] == pair_id]
        if selected and bool(rows["placed"].all()):
            args = mapview.map_args(rows, lang=lang, color_by="era", eras=a.eras, revision=case["number"],
                                    highlight=(pair_id,), fit_to=mapview.bounds_of(rows, pad=10.0), height=300)
            args["legend_hidden"] = True
            component.show(args, key=f"case_map_{case['number']}")
        blocks.link("map", t("show_on_map", lang), icon=":material/map:", pair=pair_id)


blocks.header("page_cases", t("cases_intro", lang))
choice = state.url_widget(
    "case", "case_choice", lambda raw: int(raw) if raw.isdigit() and int(raw) in numbers else None,
    lambda: st.selectbox(t("case", lang), [None, *numbers], key="case_choice",
                         format_func=lambda n: t("all_cases", lang) if n is None else
                         title_of(next(c for c in cases if c["number"] == n))),
    on_bad=lambda raw: warn("case_unknown", n=raw))
for case in cases:
    if choice is None or case["number"] == choice:
        with st.container(border=True):
            panel(case, selected=choice is not None)
