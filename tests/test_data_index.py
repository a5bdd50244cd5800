"""data/README.md marks every file in data/ as generated or curated; a new file must be marked there too."""

from __future__ import annotations

import re

from geo import paths


def test_every_data_file_is_marked_generated_or_curated() -> None:
    index = (paths.DATA / "README.md").read_text(encoding="utf-8")
    marked = dict(re.findall(r"^\| `([^`]+)` \| (generated|curated|inputs) \|", index, flags=re.MULTILINE))
    present = {p.name + ("/" if p.is_dir() else "") for p in paths.DATA.iterdir() if not p.name.startswith(".")}
    assert sorted(present - set(marked)) == [], "files in data/ that data/README.md does not mark"
    assert sorted(set(marked) - present) == [], "files data/README.md lists that are not in data/"
