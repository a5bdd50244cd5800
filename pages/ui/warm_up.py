"""`python -m pages.ui.warm_up PORT`: run the app once, in the background, as soon as a server starts.

Why: until some run of app.py has called st.navigation, Streamlit treats the top-level pages/ folder the legacy
way, so the very first visitor of a fresh server who comes by a deep link (/rankings?…) gets the right page but
also Streamlit's "Page not found" notice. One run through Streamlit's script health check (a bare session,
`server.scriptHealthCheckEnabled` in .streamlit/config.toml) settles navigation for the whole process, and
loads the dataset into the cache so the first real visitor waits less. `make run` starts this beside the server.
Only localhost is contacted.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable


def wait_for_server(port: int, timeout_s: float = 90.0, alive: Callable[[], bool] = lambda: True,
                    poll_s: float = 0.3) -> bool:
    """Wait until the server on `port` answers its health check; False when `timeout_s` passes first or the
    server process stops (`alive` says whether it still runs)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end and alive():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return True
        except OSError:
            time.sleep(poll_s)
    return False


def warm(port: int, timeout_s: float = 90.0) -> bool:
    """Wait for the server on `port`, then have it run the app once. True if the run went without an error."""
    base = f"http://127.0.0.1:{port}/_stcore"
    end = time.monotonic() + timeout_s
    if not wait_for_server(port, timeout_s):
        return False
    try:
        with urllib.request.urlopen(f"{base}/script-health-check", timeout=max(5.0, end - time.monotonic())) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


if __name__ == "__main__":
    if not warm(int(sys.argv[1]) if len(sys.argv) > 1 else 8501):
        print("warm-up: the app's first run did not finish cleanly; see the server log", file=sys.stderr)
