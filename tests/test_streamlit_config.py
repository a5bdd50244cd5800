"""The app's Streamlit configuration names only options this Streamlit version has (an unknown one is ignored
with a mere warning), and keeps the settings the app relies on."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from streamlit import config

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def options(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(options(value, f"{name}."))
        else:
            out[name] = value
    return out


def test_every_option_exists_and_the_important_ones_are_set() -> None:
    ours = options(tomllib.loads(CONFIG.read_text(encoding="utf-8")))
    known = config.get_config_options()
    assert sorted(name for name in ours if name not in known) == []
    assert ours["browser.gatherUsageStats"] is False  # offline and private
    assert ours["server.enableWebsocketCompression"] is True  # the map's data ~4x smaller on the wire


def test_a_headless_start_asks_no_web_service_for_an_address(monkeypatch: Any, capsys: Any) -> None:
    """Streamlit prints an 'External URL' found by asking a web service unless the address to print is set."""
    from streamlit import net_util
    from streamlit.web import bootstrap

    asked: list[str] = []
    monkeypatch.setattr(net_util, "get_external_ip", lambda: asked.append("external ip") or None)
    ours = options(tomllib.loads(CONFIG.read_text(encoding="utf-8")))
    monkeypatch.setattr(config, "is_manually_set", lambda name: name in ours)
    real_get = config.get_option
    monkeypatch.setattr(config, "get_option", lambda name: ours[name] if name in ours else real_get(name))
    bootstrap._print_url(False)
    assert asked == []
    assert "http://localhost:" in capsys.readouterr().out
    monkeypatch.setattr(config, "is_manually_set", lambda name: False)
    bootstrap._print_url(False)
    assert asked == ["external ip"], "the check can fail: without the setting Streamlit does ask"
