"""Which places to name on a map, and which names fit without overlapping.

The interactive map and the static exports share one ranking: a focused pair or case first, then the places where
the most shown pairings meet. Fitting is done in screen space by whoever draws (the browser for the live map,
`fit` for images), because only the drawer knows the projection, the zoom and the font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

import numpy as np
import pandas as pd


def pick_column(df: pd.DataFrame, base: str, lang: str) -> pd.Series:
    """Column-wise `i18n.pick`: `base_zh` or `base_en` for the language, the other where it is blank."""
    first, second = (f"{base}_zh", f"{base}_en") if lang == "zh" else (f"{base}_en", f"{base}_zh")
    a = df[first].fillna("").astype(str) if first in df.columns else pd.Series("", index=df.index)
    b = df[second].fillna("").astype(str) if second in df.columns else pd.Series("", index=df.index)
    return a.where(a.str.strip() != "", b.where(b.str.strip() != "", ""))


def place_labels(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every end of the given pairings once: place_id, lon, lat, side ('cn'/'partner') and label.

    A point is named by the place itself (the city, not a district placed at it) where the data knows the place's
    own name, else by the pairing row's name; province-level Chinese units by their province's name. Built
    column-wise (one row per place, the first pairing naming it wins), so it costs little at 50k pairings."""
    cn_rows = df.drop_duplicates("cn_place_id")
    partner_rows = df.drop_duplicates("partner_place_id")

    def own(rows: pd.DataFrame, side: str, fallback: pd.Series) -> pd.Series:
        col = f"{side}_place_{'zh' if lang == 'zh' else 'en'}"
        if col not in rows.columns:
            return fallback
        return rows[col].where(rows[col].fillna("") != "", fallback)

    province = cn_rows["cn_province_zh" if lang == "zh" else "cn_province_en"]
    cn_name = province.where(cn_rows["cn_level"] == "province", pick_column(cn_rows, "cn_name", lang))
    cn = pd.DataFrame({"place_id": cn_rows["cn_place_id"], "lon": cn_rows["cn_lon"], "lat": cn_rows["cn_lat"],
                       "side": "cn", "label": own(cn_rows, "cn", cn_name)})
    partner = pd.DataFrame({"place_id": partner_rows["partner_place_id"], "lon": partner_rows["partner_lon"],
                            "lat": partner_rows["partner_lat"], "side": "partner",
                            "label": own(partner_rows, "partner", pick_column(partner_rows, "partner_name", lang))})
    # Partners are foreign, so a place id is never both a Chinese and a partner end.
    return pd.concat([cn, partner]).drop_duplicates("place_id").reset_index(drop=True)


def ranked_places(df: pd.DataFrame, lang: str, focus_pairs: Collection[str] = ()) -> pd.DataFrame:
    """The placed ends of `df` with their label, the number of pairings meeting there (`pairings`) and a `rank`
    (0 = name first): ends of the focused pairings first, then by pairings, then Chinese ends, then by label."""
    placed = df[df["placed"]]
    places = place_labels(placed, lang)
    if places.empty:
        return places.assign(pairings=pd.Series(dtype=int), focus=pd.Series(dtype=bool), rank=pd.Series(dtype=int))
    counts = pd.concat([placed["cn_place_id"], placed["partner_place_id"]]).value_counts()
    focused = placed[placed["pair_id"].isin(set(focus_pairs))]
    focus_ids = set(focused["cn_place_id"]) | set(focused["partner_place_id"])
    out = places.assign(pairings=places["place_id"].map(counts).fillna(0).astype(int),
                        focus=places["place_id"].isin(focus_ids))
    out = out.sort_values(["focus", "pairings", "side", "label"], ascending=[False, False, True, True])
    return out.reset_index(drop=True).assign(rank=lambda t: range(len(t)))


def text_width(label: str, font_px: float) -> float:
    """Approximate drawn width of a label: wide (CJK) characters take a full em, others a little over half."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56 for ch in label)
    return ems * font_px


def fit(candidates: pd.DataFrame, x: np.ndarray, y: np.ndarray, font_px: float, *, limit: int = 30,
        pad_px: float = 2.0, bounds: tuple[float, float, float, float] | None = None) -> pd.DataFrame:
    """The candidates (in rank order) whose labels fit without overlapping, at most `limit` of them.

    `x`, `y` are the points in pixels (y grows downwards), one per candidate row. A label sits to the right of its
    point, vertically centred; `bounds` = (x0, y0, x1, y1) keeps labels inside the frame. Focused places are
    always kept, even if they overlap one another."""
    boxes: list[tuple[float, float, float, float]] = []
    keep: list[int] = []
    for i, row in enumerate(candidates.itertuples(index=False)):
        focus = bool(getattr(row, "focus", False))
        if len(keep) >= limit and not focus:
            continue
        w = text_width(str(row.label), font_px)
        box = (x[i] + 4, y[i] - font_px * 0.6, x[i] + 4 + w, y[i] + font_px * 0.6)
        outside = bounds is not None and (box[0] < bounds[0] or box[1] < bounds[1] or box[2] > bounds[2] or
                                          box[3] > bounds[3])
        overlaps = any(box[0] < b[2] + pad_px and b[0] < box[2] + pad_px and box[1] < b[3] + pad_px and
                       b[1] < box[3] + pad_px for b in boxes)
        if (outside or overlaps) and not focus:
            continue
        boxes.append(box)
        keep.append(i)
    return candidates.iloc[keep].assign(x=x[keep], y=y[keep])
