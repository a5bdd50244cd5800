"""Running the real app in Streamlit's AppTest, one page at a time (see tests/page_host.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

HOST = str(Path(__file__).resolve().parent / "page_host.py")


def open_page(page: str, **query: str) -> AppTest:
    """The app with `page` (a URL path such as "map") open, after one run with these URL parameters."""
    os.environ["ATLAS_TEST_PAGE"] = page
    at = AppTest.from_file(HOST, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at


def rerun(at: AppTest) -> AppTest:
    """Run again after setting widgets (the whole app: app.py, the page, the sidebar), as a browser would."""
    return at.run()


def map_args(at: AppTest) -> list[dict[str, Any]]:
    """The payload sent to each map component on the page."""
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]
