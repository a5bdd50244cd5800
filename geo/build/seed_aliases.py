"""One-off: seed data/pair_aliases.csv from the git history of data/pairings.csv.

`python -m geo.build.seed_aliases` (from the repository, with git) walks every commit that changed
data/pairings.csv, oldest first, and for each parent -> commit step applies `geo.build.aliases.update`, as the
build does for each rebuild since: the ids a step dropped get the row they became. Earlier builds did not record
which row absorbed which, so a step's merges are read back from that commit's data/CONFLICTS.csv ('one tie'
decisions name the surviving row and the other row's name); a decision that does not name exactly one dropped row
is left to the place/name rule. Where two parents of a merge commit lead one id to different rows, the id gets
no successor (never two). Run once, when the alias table was introduced; the build keeps the table from then on.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Sequence

from geo import paths
from geo.build.aliases import Alias, Row, check, update, write_aliases
from geo.build.pairings import read_csv
from geo.names import fold

FILE = "data/pairings.csv"
CONFLICTS = "data/CONFLICTS.csv"
_LABEL = re.compile(r"^(?P<cn>.+?) \((?P<prov>[^()]*)\) – (?P<partner>.+) \((?P<iso>[A-Z]{3})\)$")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=paths.ROOT, check=True, capture_output=True, text=True).stdout


def _csv_at(rev: str, path: str) -> list[dict[str, str]] | None:
    try:
        text = _git("show", f"{rev}:{path}")
    except subprocess.CalledProcessError:
        return None  # the file did not exist yet at `rev`
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]


def merges_from_conflicts(conflicts: Sequence[Row], old_rows: Sequence[Row],
                          new_rows: Sequence[Row]) -> dict[str, tuple[str, str]]:
    """gone id -> (kept id, decision) for the 'one tie' decisions of a build whose gone row `old_rows` holds
    and `new_rows` lacks, each decision naming exactly one such row."""
    live = {r["pair_id"] for r in new_rows}
    gone = [r for r in old_rows if r["pair_id"] not in live]
    out: dict[str, tuple[str, str]] = {}
    for c in conflicts:
        if not c.get("decision", "").startswith("one tie"):
            continue
        m = _LABEL.match(c["tie"])
        if m is None:
            continue
        cn, prov, partner, iso = m.group("cn", "prov", "partner", "iso")
        kept = [r for r in new_rows if cn in (r["cn_name_zh"], r["cn_name_en"]) and r["cn_province_en"] == prov
                and r["partner_name_en"] == partner and r["partner_country_iso3"] == iso]
        if len(kept) != 1:
            continue
        if c["field"] == "partner_name_en":
            hits = [r for r in gone if cn in (r["cn_name_zh"], r["cn_name_en"]) and r["cn_province_en"] == prov
                    and r["partner_country_iso3"] == iso and r["partner_name_en"] == c["other"]]
        else:  # cn_unit: the other row is the same partner under another Chinese unit (or filed elsewhere)
            other = c["other"].rsplit(" (", 1)[0] if c["other"].endswith(")") and "(" in c["other"] else c["other"]
            hits = [r for r in gone if r["cn_province_en"] in (prov, "")
                    and {other, c["other"]} & {r["cn_name_en"], r["cn_name_zh"]}
                    and (fold(r["partner_name_en"]) == fold(partner) or r["partner_country_iso3"] == iso)]
            if len(hits) > 1:
                hits = [r for r in hits if fold(r["partner_name_en"]) == fold(partner)]
        if len(hits) == 1:
            out[hits[0]["pair_id"]] = (kept[0]["pair_id"], f"{c['decision']} (CONFLICTS.csv of that build)")
    return out


def seed() -> dict[str, Alias]:
    commits = _git("rev-list", "--topo-order", "--reverse", "HEAD", "--", FILE).split()
    # The table as it stood after each commit that changed the file: each line of history carries its own.
    table_at: dict[str, dict[str, Alias]] = {}
    for commit in commits:
        new_rows = _csv_at(commit, FILE)
        if new_rows is None:
            continue
        conflicts = _csv_at(commit, CONFLICTS) or []
        results: list[dict[str, Alias]] = []
        for parent in _git("rev-parse", f"{commit}^@").split():
            old_rows = _csv_at(parent, FILE)
            if old_rows is None:
                continue
            last = _git("rev-list", "-1", parent, "--", FILE).strip()
            merges = merges_from_conflicts(conflicts, old_rows, new_rows)
            results.append(update(table_at.get(last, {}), old_rows, new_rows, merges))
        table_at[commit] = _combine(results, commit)
    head = _git("rev-list", "-1", "HEAD", "--", FILE).strip()
    current = read_csv(paths.PAIRINGS)
    table = update(table_at.get(head, {}), current, current)  # nothing new; drops ids that are live again
    check(table, {r["pair_id"] for r in current})
    return table


def _combine(results: Sequence[dict[str, Alias]], commit: str) -> dict[str, Alias]:
    """One table from the parents' lines of a merge commit: a successor beats none; two successors are none."""
    if not results:
        return {}
    merged = dict(results[0])
    for other in results[1:]:
        for old_id, a in other.items():
            mine = merged.get(old_id)
            if mine is not None and mine.new_id and a.new_id and mine.new_id != a.new_id:
                merged[old_id] = Alias("", f"no certain successor: the two lines of history merged at {commit[:7]} "
                                           f"lead it to {mine.new_id} and {a.new_id}")
            elif mine is None or not mine.new_id:
                merged[old_id] = a
    return merged


def main() -> None:
    table = seed()
    write_aliases(paths.PAIR_ALIASES, table)
    print(f"{paths.PAIR_ALIASES.name}: {sum(1 for a in table.values() if a.new_id)} aliases, "
          f"{sum(1 for a in table.values() if not a.new_id)} old ids without a successor")


if __name__ == "__main__":
    main()
