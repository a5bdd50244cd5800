"""A real `streamlit run app.py` on a free local port, and Playwright driving Debian's Chromium against it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pages.ui.warm_up import wait_for_server, warm

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_app(log_name: str = "streamlit.log") -> Iterator[str]:
    """`streamlit run app.py` on a free port, warmed up as `make run` does (pages/ui/warm_up.py), stopped
    afterwards; yields its base URL."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make install)")
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / log_name
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            if not wait_for_server(port, 90, alive=lambda: proc.poll() is None):
                raise RuntimeError(f"streamlit did not start; see {log}")
            assert warm(port), f"the app's first run failed; see {log}"
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make install)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        yield b
        b.close()


class Visit:
    """One page with everything a test wants to check afterwards: requests, dialogs, errors."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60000)
        return self.page

    def map_frame(self, min_arcs: int = 1, timeout: float = 60) -> Any:
        """The map component's frame, once it has drawn at least `min_arcs` arcs (0: once it has drawn)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for frame in self.page.frames:
                if "atlas_map" in frame.url:
                    try:
                        state = frame.evaluate("window.atlasState || null")
                    except Exception:  # the frame may be navigating
                        state = None
                    if state and state.get("revision") is not None and state.get("arcs", 0) >= min_arcs:
                        return frame
            self.page.wait_for_timeout(200)
        raise AssertionError("the map did not draw in time")

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("http://127.0.0.1", "http://localhost", "data:",
                                                              "blob:", "about:"))]

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.close()
