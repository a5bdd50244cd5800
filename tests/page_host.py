"""AppTest entry: the real app with the page under test as its default page.

AppTest re-runs only the page script after the first run of an st.navigation app, which drops the shared
sidebar; starting each test page as the default page keeps the full app in every run.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pages._ui import run_app  # noqa: E402

run_app(default_page=os.environ.get("ATLAS_TEST_PAGE", "map"))
