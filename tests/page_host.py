"""AppTest entry: the real app (app.main) with the page under test as the page of the bare URL.

AppTest has no URL path to open a page by; making the page under test the default page opens it on the first
run without first running (and paying for) the map page. Later runs stay on it as in a browser session.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app  # noqa: E402

app.main(default=os.environ.get("ATLAS_TEST_PAGE", "map"))
