"""Interface strings of the data page, importers and exports: key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {}
