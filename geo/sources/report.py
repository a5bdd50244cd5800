"""What an import did, row by row, so nothing a user uploads disappears without a line saying why."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

STATUSES = ("rejected", "unplaced", "merged", "imported")
"""Report statuses, in the order the data page lists them (problems first)."""

REPORT_COLUMNS = ["row", "status", "pair_id", "message"]


@dataclass(frozen=True)
class ReportRow:
    """One input row's fate. `row` counts like a spreadsheet (CSV: header is row 1; JSON: first row is 1)."""

    row: int
    status: str
    message: str
    pair_id: str = ""


@dataclass
class ImportResult:
    """An import's output: the merged pairings (embedded + new, in the pairings.csv schema), the places, the new
    rows alone, and one report row per input row."""

    pairings: pd.DataFrame
    places: pd.DataFrame
    imported: pd.DataFrame
    rows: list[ReportRow] = field(default_factory=list)
    encoding: str = ""
    file: str = ""
    blank_rows: list[int] = field(default_factory=list)
    """Numbers of the input rows with nothing in them: skipped, not report rows."""

    @property
    def report(self) -> pd.DataFrame:
        """The report as a table, rejected rows first, then unplaced, merged and imported; by row within."""
        df = pd.DataFrame([[r.row, r.status, r.pair_id, r.message] for r in self.rows], columns=REPORT_COLUMNS)
        order = {s: n for n, s in enumerate(STATUSES)}
        df["_o"] = df["status"].map(order)
        return df.sort_values(["_o", "row"], kind="stable").drop(columns="_o").reset_index(drop=True)

    def blank_spans(self) -> str:
        """The blank rows' numbers as spans, '5–6, 9' (an Excel export may end in hundreds of them)."""
        spans: list[list[int]] = []
        for n in sorted(self.blank_rows):
            if spans and n == spans[-1][1] + 1:
                spans[-1][1] = n
            else:
                spans.append([n, n])
        return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status (every status present, zero if none) plus `total`."""
        out = {s: 0 for s in STATUSES}
        for r in self.rows:
            out[r.status] += 1
        out["total"] = len(self.rows)
        return out
