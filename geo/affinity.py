"""The book's five affinities (五缘) for every pairing, from readable rules plus sourced per-pair overrides.

Rules live in data/affinity_rules.yaml so an analyst can change them without code. Each rule has an id, an
affinity and a condition built from a few named tests (below). A pairing gets every affinity whose rule fires,
plus any override from data/affinity_overrides.csv; if nothing fires it gets `opportunity` (机缘) from the
fallback rule, which says so. Every tag keeps its basis, so the app can show why a tag is there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from geo._validate import AtlasDataError

# The five affinities, in the book's order; their names in each language are in the interface catalogue
# (geo/locale, keys affinity_<id>).
AFFINITIES = ("geography", "customs", "language", "sentiment", "opportunity")
AFFINITY_COLORS = {
    "geography": "#2b8a3e", "customs": "#e67700", "language": "#5f3dc4",
    "sentiment": "#c2255c", "opportunity": "#1971c2",
}
TAG_SEP, BASIS_SEP = ";", "|"

Condition = Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    affinity: str
    when: Condition
    explain_zh: str
    explain_en: str


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    fallback: Rule


def _column_in(column: str, upper: bool = False) -> Callable[[pd.DataFrame, Any], pd.Series]:
    def test(df: pd.DataFrame, values: Any) -> pd.Series:
        wanted = {str(v).upper() if upper else str(v) for v in values}
        return df[column].isin(wanted)
    return test


def _distance_below(df: pd.DataFrame, km: Any) -> pd.Series:
    return df["distance_km"].notna() & (df["distance_km"] < float(km))


def _distance_above(df: pd.DataFrame, km: Any) -> pd.Series:
    return df["distance_km"].notna() & (df["distance_km"] >= float(km))


def _bri_member(df: pd.DataFrame, flag: Any) -> pd.Series:
    member = df["bri_group"] != "none"
    return member if flag else ~member


def _year_from(df: pd.DataFrame, year: Any) -> pd.Series:
    return df["year"].notna() & (df["year"] >= int(year))


def _year_to(df: pd.DataFrame, year: Any) -> pd.Series:
    return df["year"].notna() & (df["year"] <= int(year))


TESTS: dict[str, Callable[[pd.DataFrame, Any], pd.Series]] = {
    "partner_country_in": _column_in("partner_country_iso3", upper=True),
    "partner_subregion_in": _column_in("subregion_en"),
    "partner_continent_in": _column_in("continent_en"),
    "cn_province_in": _column_in("cn_province_en"),
    "cn_name_in": _column_in("cn_name_en"),
    "partner_name_in": _column_in("partner_name_en"),
    "distance_km_below": _distance_below,
    "distance_km_above": _distance_above,
    "bri_member": _bri_member,
    "year_from": _year_from,
    "year_to": _year_to,
}


def evaluate(df: pd.DataFrame, when: Condition) -> pd.Series:
    """Rows of `df` for which the condition holds. Keys are ANDed; `any`/`all` take lists of conditions."""
    mask = pd.Series(True, index=df.index)
    for key, value in when.items():
        if key == "any":
            sub = pd.Series(False, index=df.index)
            for cond in value:
                sub |= evaluate(df, cond)
            mask &= sub
        elif key == "all":
            for cond in value:
                mask &= evaluate(df, cond)
        else:
            mask &= TESTS[key](df, value)
    return mask


def _check_condition(file: str, rule_id: str, when: Any) -> None:
    if not isinstance(when, Mapping) or not when:
        raise AtlasDataError(file, f"rule {rule_id!r}: 'when' must be a non-empty mapping")
    for key, value in when.items():
        if key in ("any", "all"):
            if not isinstance(value, list) or not value:
                raise AtlasDataError(file, f"rule {rule_id!r}: '{key}' must be a non-empty list of conditions")
            for cond in value:
                _check_condition(file, rule_id, cond)
        elif key not in TESTS:
            raise AtlasDataError(file, f"rule {rule_id!r}: unknown test {key!r} (known: {', '.join(TESTS)})")


def _rule(file: str, raw: Any, need_when: bool = True) -> Rule:
    if not isinstance(raw, Mapping):
        raise AtlasDataError(file, f"a rule must be a mapping, got {type(raw).__name__}")
    rule_id = str(raw.get("id", "")).strip()
    if not rule_id:
        raise AtlasDataError(file, "a rule has no id")
    if raw.get("affinity") not in AFFINITIES:
        raise AtlasDataError(file, f"rule {rule_id!r}: affinity must be one of {', '.join(AFFINITIES)}")
    for lang in ("zh", "en"):
        if not str(raw.get(f"explain_{lang}", "")).strip():
            raise AtlasDataError(file, f"rule {rule_id!r}: explain_{lang} is empty")
    when = raw.get("when", {})
    if need_when:
        _check_condition(file, rule_id, when)
    return Rule(rule_id, raw["affinity"], when, raw["explain_zh"], raw["explain_en"])


def load_rules(path: Path) -> RuleSet:
    """Read and check the rule file; raises AtlasDataError naming the rule and the problem."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AtlasDataError(path.name, f"cannot read rules: {exc}") from None
    if not isinstance(doc, Mapping) or "rules" not in doc or "fallback" not in doc:
        raise AtlasDataError(path.name, "expected a mapping with 'rules' and 'fallback'")
    rules = tuple(_rule(path.name, r) for r in doc["rules"])
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise AtlasDataError(path.name, "rule ids must be unique")
    return RuleSet(rules, _rule(path.name, doc["fallback"], need_when=False))


def tag(df: pd.DataFrame, rules: RuleSet, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return `affinities` (ids joined by ';', in canonical order) and `affinity_basis` for each row.

    The basis lists `affinity:rule_id` for rules, `affinity:override` for sourced overrides, and
    `opportunity:fallback` where nothing else applied.
    """
    # Which rules hold for each row, one column per rule; rows with the same rules (and overrides) share one
    # answer, so the strings are made once per combination rather than once per pairing.
    hits = np.zeros((len(df), len(rules.rules)), dtype=bool)
    for j, rule in enumerate(rules.rules):
        hits[:, j] = evaluate(df, rule.when).to_numpy(dtype=bool)
    extra: list[tuple[str, ...]] = [()] * len(df)
    if overrides is not None and not overrides.empty:
        key = df["cn_name_en"] + "|" + df["partner_name_en"] + "|" + df["partner_country_iso3"]
        ovr_key = overrides["cn_name_en"] + "|" + overrides["partner_name_en"] + "|" + overrides["partner_country_iso3"]
        by_key: dict[str, list[str]] = {}
        for k, aff in zip(ovr_key, overrides["affinity"], strict=True):
            by_key.setdefault(k, []).append(f"{aff}:override")
        extra = [tuple(by_key.get(k, ())) for k in key.tolist()]
    order = {a: n for n, a in enumerate(AFFINITIES)}
    labels = [f"{rule.affinity}:{rule.id}" for rule in rules.rules]
    answers: dict[tuple[bytes, tuple[str, ...]], tuple[str, str]] = {}
    affinities, bases = [], []
    for row, more in zip(hits, extra, strict=True):
        signature = (row.tobytes(), more)
        answer = answers.get(signature)
        if answer is None:
            basis = [label for label, hit in zip(labels, row, strict=True) if hit] + list(more)
            basis = basis or [f"{rules.fallback.affinity}:fallback"]
            tags = sorted({b.split(":", 1)[0] for b in basis}, key=order.__getitem__)
            answer = answers[signature] = (TAG_SEP.join(tags), BASIS_SEP.join(dict.fromkeys(basis)))
        affinities.append(answer[0])
        bases.append(answer[1])
    return pd.DataFrame({"affinities": affinities, "affinity_basis": bases}, index=df.index)


def primary_affinity(affinities: pd.Series) -> pd.Series:
    """The first affinity of each row in canonical order (geography before opportunity), for colouring."""
    return affinities.str.split(TAG_SEP).str[0]


def haversine_km(lat1: pd.Series, lon1: pd.Series, lat2: pd.Series, lon2: pd.Series) -> pd.Series:
    """Great-circle distance in km; NaN where any coordinate is missing."""
    p1, p2 = np.radians(lat1.astype(float)), np.radians(lat2.astype(float))
    dphi = p2 - p1
    dlmb = np.radians(lon2.astype(float) - lon1.astype(float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return pd.Series(2 * 6371.0 * np.arcsin(np.sqrt(a)), index=lat1.index)


def explain(rules: RuleSet, basis: str, lang: str) -> list[tuple[str, str]]:
    """[(affinity, explanation)] for one row's basis string, in the chosen language."""
    by_id = {r.id: r for r in rules.rules}
    out = []
    for item in basis.split(BASIS_SEP):
        aff, src = item.split(":", 1)
        if src == "fallback":
            text = getattr(rules.fallback, f"explain_{lang}")
        elif src == "override":
            text = "按个案资料标注（有出处）" if lang == "zh" else "set for this pair from a cited source"
        else:
            rule = by_id.get(src)
            text = getattr(rule, f"explain_{lang}") if rule else src
        out.append((aff, text))
    return out
