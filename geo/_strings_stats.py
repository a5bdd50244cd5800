"""Interface strings of the timeline, rankings, Belt and Road and city pages: key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {}
