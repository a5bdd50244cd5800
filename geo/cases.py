"""The book's 20 case studies (data/cases.yaml) and their link to pairings in the dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from geo._validate import AtlasDataError, parse_date
from geo.affinity import AFFINITIES
from geo.names import loose

KINDS = {"pairing", "forum", "city_country"}
REQUIRED = ("number", "title_zh", "book_page", "kind", "cn_name_zh", "cn_name_en", "partner_name_en",
            "verification", "summary_en", "summary_zh", "affinities", "facts")


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read and check the case file; raises AtlasDataError naming the case and field."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AtlasDataError(path.name, f"cannot read cases: {exc}") from None
    if not isinstance(doc, list):
        raise AtlasDataError(path.name, "expected a list of cases")
    seen: set[int] = set()
    for n, case in enumerate(doc, start=1):
        where = f"case #{n}"
        if not isinstance(case, dict):
            raise AtlasDataError(path.name, f"{where} is not a mapping")
        for key in REQUIRED:
            if key not in case:
                raise AtlasDataError(path.name, f"{where} lacks '{key}'", column=key)
        if case["kind"] not in KINDS:
            raise AtlasDataError(path.name, f"{where}: kind {case['kind']!r} unknown", column="kind")
        if case["number"] in seen:
            raise AtlasDataError(path.name, f"{where}: number {case['number']} repeated", column="number")
        seen.add(case["number"])
        try:
            parse_date(str(case.get("established") or ""))
        except ValueError as exc:
            raise AtlasDataError(path.name, f"{where}: {exc}", column="established") from None
        for aff in case["affinities"]:
            if aff.get("affinity") not in AFFINITIES:
                raise AtlasDataError(path.name, f"{where}: affinity {aff.get('affinity')!r} unknown",
                                     column="affinities")
        for fact in case["facts"]:
            if not fact.get("source_outlet"):
                raise AtlasDataError(path.name, f"{where}: a fact has no source_outlet", column="facts")
    return sorted(doc, key=lambda c: c["number"])


def _loose_column(names: pd.Series) -> np.ndarray:
    """`loose` of every name, worked out once per distinct name (names repeat across many pairings)."""
    codes, distinct = pd.factorize(names, use_na_sentinel=False)
    return np.array([loose(str(n)) for n in distinct] or [""], dtype=object)[codes]


def resolve(cases: list[dict[str, Any]], pairings: pd.DataFrame) -> dict[int, str | None]:
    """Case number -> pair_id of its pairing in the dataset; None for forum and city–country cases."""
    cn = _loose_column(pairings["cn_name_en"])
    partner = _loose_column(pairings["partner_name_en"])
    out: dict[int, str | None] = {}
    for case in cases:
        if case["kind"] != "pairing":
            out[case["number"]] = None
            continue
        hit = pairings[(cn == loose(case["cn_name_en"])) & (partner == loose(case["partner_name_en"])) &
                       (pairings["partner_country_iso3"] == case["partner_country_iso3"])]
        out[case["number"]] = str(hit["pair_id"].iloc[0]) if len(hit) else None
    return out


def case_of_pair(resolved: dict[int, str | None]) -> dict[str, int]:
    return {pid: n for n, pid in resolved.items() if pid}
