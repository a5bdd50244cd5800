"""Label ranking and fitting: focused places first, then the busiest; fitted names never overlap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo import labels
from geo.load import load_atlas


def test_ranked_places_counts_and_orders(data_dir: Path) -> None:
    df = load_atlas(data_dir).pairings
    ranked = labels.ranked_places(df, "en")
    # Placed fixture pairings: P1 Tianjin–Kobe, P2 Nanjing–St. Louis, P3 Hekou–Lao Cai, P4/P6 Guangzhou–…
    assert ranked.iloc[0]["label"] == "Guangzhou" and ranked.iloc[0]["pairings"] == 2
    assert list(ranked["rank"]) == list(range(len(ranked)))
    assert set(ranked["place_id"]) == set(df.loc[df["placed"], "cn_place_id"]) | set(df.loc[df["placed"],
                                                                                           "partner_place_id"])
    focused = labels.ranked_places(df, "zh", focus_pairs=["P1"])
    assert set(focused.head(2)["place_id"]) == {"cnprov:Tianjin", "gn:10"}
    assert focused.head(2)["focus"].all() and not focused.iloc[2:]["focus"].any()
    assert "天津市" in set(focused.head(2)["label"])


def test_text_width_counts_wide_characters() -> None:
    assert labels.text_width("南京", 10) == 20
    assert labels.text_width("Nanjing", 10) < labels.text_width("南京南京南京", 10)


def test_fit_never_overlaps_and_keeps_focus() -> None:
    rng = np.random.default_rng(7)
    n = 200
    cands = pd.DataFrame({"label": [f"Place {i}" for i in range(n)], "focus": [i < 2 for i in range(n)]})
    x, y = rng.uniform(0, 800, n), rng.uniform(0, 600, n)
    x[1], y[1] = x[0] + 1, y[0] + 1  # two focused places on top of each other are both kept
    chosen = labels.fit(cands, x, y, 12, limit=40, bounds=(0, 0, 800, 600))
    assert {"Place 0", "Place 1"} <= set(chosen["label"])
    assert 2 < len(chosen) <= 42
    boxes = [(r.x + 4, r.y - 7.2, r.x + 4 + labels.text_width(r.label, 12), r.y + 7.2)
             for r in chosen.itertuples() if not r.focus]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        assert 0 <= a[0] and a[2] <= 800
