"""How the five affinities (五缘) are assigned, what is inferred, and where the method is weak."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo.affinity import AFFINITIES, AFFINITY_COLORS
from geo.i18n import t
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
zh = language == "zh"
a = _ui.atlas()
shown = _ui.filtered()

st.title(t("page_method", language))
st.markdown(
    "《城市外交：理论与实践》把中国城市结好的原因归纳为“五缘”：**地缘**（地理相邻）、**俗缘**（风俗相通）、"
    "**语缘**（语言文字相通）、**情缘**（历史情感）和**机缘**（合作机会）。书中只对20个案例作了说明；"
    "本应用为每一对友城都给出五缘标注，方法如下。" if zh else
    "*City Diplomacy: Theory and Practice* explains why Chinese places pair with foreign ones through five "
    "affinities: **geography** (地缘, being near), **customs** (俗缘, shared ways of life), **language** (语缘, shared "
    "language or script), **sentiment** (情缘, history and feeling) and **opportunity** (机缘, a chance to cooperate). "
    "The book applies them to its 20 cases only; this app tags every pairing, as follows.")

st.subheader("标注是怎样得出的" if zh else "How tags are made")
st.markdown(
    "1. **规则**（`data/affinity_rules.yaml`，可直接编辑）：每条规则检查对方国家、双方省份、距离、年份或是否属于"
    "“一带一路”沿线，满足条件即打上对应标签。\n"
    "2. **个案覆盖**（`data/affinity_overrides.csv`）：书中案例和有资料支持的友城，按注明出处的依据标注。\n"
    "3. **兜底**：没有任何规则适用时标为“机缘”，并注明这只是默认值。\n\n"
    "除个案覆盖中标为非推断者外，**所有标签都是本项目的推断，不是书中的判断**。" if zh else
    "1. **Rules** (`data/affinity_rules.yaml`, editable without code): each rule tests the partner country, the "
    "provinces, the distance, the year or Belt and Road membership, and tags the pairing when it holds.\n"
    "2. **Per-pair overrides** (`data/affinity_overrides.csv`): the book's cases and researched pairs, each with a "
    "cited basis.\n"
    "3. **Fallback**: where no rule applies the pairing is tagged opportunity, and says it is a default.\n\n"
    "Except overrides marked as not inferred, **every tag is this project's inference, not the book's judgement**.")

rows = []
for rule in a.rules.rules:
    fired = int(a.pairings["affinity_basis"].str.contains(f"{rule.affinity}:{rule.id}", regex=False).sum())
    rows.append({"id": rule.id, "affinity": AFFINITIES[rule.affinity][0 if zh else 1],
                 "explanation": rule.explain_zh if zh else rule.explain_en, "pairings": fired})
rows.append({"id": "fallback", "affinity": AFFINITIES[a.rules.fallback.affinity][0 if zh else 1],
             "explanation": a.rules.fallback.explain_zh if zh else a.rules.fallback.explain_en,
             "pairings": int(a.pairings["affinity_basis"].str.contains(":fallback", regex=False).sum())})
overrides = int(a.pairings["affinity_basis"].str.contains(":override", regex=False).sum())
rows.append({"id": "override", "affinity": "—", "explanation": "按个案资料标注（有出处）" if zh else
             "set per pair from a cited source", "pairings": overrides})
st.subheader("规则一览" if zh else "The rules")
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader("当前筛选下的五缘分布" if zh else "Affinities under the current filters")
if shown.empty:
    st.info(t("no_match", language))
else:
    counts = shown["affinities"].str.split(";").explode().value_counts()
    chart_df = pd.DataFrame({"affinity": [AFFINITIES[k][0 if zh else 1] for k in counts.index],
                             "key": counts.index, "pairings": counts.to_numpy()})
    chart = alt.Chart(chart_df).mark_bar().encode(
        x=alt.X("pairings:Q", title="友城数" if zh else "Pairings"),
        y=alt.Y("affinity:N", sort="-x", title=None),
        color=alt.Color("key:N", scale=alt.Scale(domain=list(AFFINITY_COLORS), range=list(AFFINITY_COLORS.values())),
                        legend=None),
        tooltip=["affinity", "pairings"])
    st.altair_chart(chart, width="stretch")
    fallback_only = int((shown["affinity_basis"] == "opportunity:fallback").sum())
    st.caption(f"一对友城可有多个标签。{fallback_only} 对仅有兜底标签。" if zh else
                f"A pairing can carry several tags. {fallback_only} pairings carry only the fallback tag.")

st.subheader("方法的局限" if zh else "Where the method is weak")
st.markdown(
    "- 规则只看国家和省份这一级，看不到具体城市之间的渊源；同一国家的所有城市得到相同的地缘、语缘标签。\n"
    "- 距离按两地坐标的大圆距离计算；省州级友城按首府定位，距离只是近似。\n"
    "- “机缘”兜底标签数量最多，它表示“没有证据显示其他四缘”，不表示确有合作机会。\n"
    "- 约三分之二的友城没有可靠的结好年份，依赖年份的规则（如“一带一路”时期）对它们不起作用。\n"
    "- 情缘（历史、人物、战争记忆）几乎无法用规则推断，主要来自个案资料。" if zh else
    "- Rules work at the level of countries and provinces and cannot see a particular city's history; every city "
    "of a country gets the same geography and language tags.\n"
    "- Distances are great-circle distances between the two placed points; province- and state-level ties are "
    "placed at their capitals, so distances are approximate.\n"
    "- The opportunity fallback is the largest group: it means no evidence for the other four, not evidence of an "
    "opportunity.\n"
    "- About two thirds of pairings have no reliable year, so year-based rules (e.g. the Belt and Road era) cannot "
    "apply to them.\n"
    "- Sentiment (history, people, wartime memory) can hardly be inferred by rule; it comes mostly from case research.")
