"""The book's 20 case studies: one panel each, linked to the map both ways (`?case=N` opens one)."""

from __future__ import annotations

import streamlit as st

from geo import mapview
from geo.affinity import AFFINITIES
from geo.i18n import t
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
a = _ui.atlas()
cases = _ui.case_list()
links = _ui.case_links()
numbers = [c["number"] for c in cases]

st.title(t("page_cases", language))
st.caption("《城市外交：理论与实践》（社会科学文献出版社，2016）案例研究篇。案例事实为本项目转述并注明出处；五缘标注除注明者外均为推断。"
           if language == "zh" else
           "Case studies of *City Diplomacy: Theory and Practice* (Social Sciences Academic Press, 2016). Facts are "
           "paraphrased by this project with their sources; affinity tags are inferences unless marked otherwise.")

selected: int | None = None
raw = st.query_params.get("case")
if raw is not None:
    if raw.isdigit() and int(raw) in numbers:
        selected = int(raw)
    else:
        st.warning(t("case_unknown", language, n=raw[:20]))

STATUS = {"confirmed": "verified_confirmed", "partial": "verified_partial", "per_book": "per_book"}


def badge(affinity: str, inferred: bool) -> str:
    zh, en = AFFINITIES[affinity]
    label = zh if language == "zh" else en
    return f":blue-badge[{label}{'*' if inferred else ''}]"


def title_of(case: dict) -> str:  # type: ignore[type-arg]
    if language == "zh":
        return f"{case['number']}. {case['title_zh']} — {case['subtitle_zh']}"
    # The book's titles are Chinese only; English readers get the pairing, with the title after it.
    return f"{case['number']}. {case['cn_name_en']} – {case['partner_name_en']} ({case['title_zh']})"


choice = st.selectbox("案例" if language == "zh" else "Case", [None, *numbers], index=(numbers.index(selected) + 1)
                      if selected else 0, format_func=lambda n: ("全部案例" if language == "zh" else "All cases")
                      if n is None else title_of(next(c for c in cases if c["number"] == n)), key="case_choice")
if choice != selected:
    if choice is None:
        st.query_params.pop("case", None)
    else:
        st.query_params["case"] = str(choice)
    selected = choice

for case in cases:
    if selected is not None and case["number"] != selected:
        continue
    with st.container(border=True):
        st.subheader(title_of(case))
        level = (f"{t('cn_level_' + str(case.get('cn_level', '')), language)} ↔ "
                 f"{t('partner_level_' + str(case.get('partner_level', '')), language)}")
        established = case.get("established") or t("year_unknown", language)
        status = t(STATUS.get(case["verification"], "per_book"), language)
        st.markdown(f"**{t('established', language)}**: {established}  ·  **{t('level', language)}**: {level}  ·  "
                    f"**{'核实' if language == 'zh' else 'Verification'}**: {status}")
        note = case.get("date_note_zh" if language == "zh" else "date_note_en")
        if note:
            st.caption(note)
        st.markdown(" ".join(badge(x["affinity"], bool(x.get("inferred", True))) for x in case["affinities"]) +
                    ("  \\* 推断" if language == "zh" else "  \\* inferred"))
        st.write(case["summary_zh" if language == "zh" else "summary_en"])
        left, right = st.columns([3, 2])
        with left:
            for x in case["affinities"]:
                st.markdown(f"- **{AFFINITIES[x['affinity']][0 if language == 'zh' else 1]}**: "
                            f"{x['basis_zh' if language == 'zh' else 'basis_en']}")
            for fact in case["facts"]:
                source = fact["source_outlet"]
                if fact.get("source_url"):
                    source = f"[{source}]({fact['source_url']})"
                flag = "" if fact.get("status") == "confirmed" else f" _({t(STATUS.get(fact.get('status', ''), 'per_book'), language)})_"
                st.markdown(f"- {fact['zh' if language == 'zh' else 'en']} — {source}{flag}")
        pair_id = links.get(case["number"])
        with right:
            if pair_id:
                rows = a.pairings[a.pairings["pair_id"] == pair_id]
                if selected is not None and bool(rows["placed"].all()):
                    args = mapview.map_args(rows, lang=language, color_by="era", eras=a.eras, revision=case["number"],
                                            highlight=(pair_id,), fit_to=mapview.bounds_of(rows, pad=10.0),
                                            height=300)
                    args["legend_hidden"] = True
                    _ui.atlas_map(args, key=f"case_map_{case['number']}")
                st.page_link(_ui.PAGES_DIR / "map.py", label=t("show_on_map", language), icon=":material/map:",
                             query_params={"pair": pair_id, **({"lang": "en"} if language == "en" else {})})
            else:
                st.info("多边论坛或“一市对一国”关系，不对应单一友城。" if language == "zh" else
                        "A forum or a city–country relationship, not a single pairing.")
