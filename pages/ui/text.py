"""The one place where text that did not come from this project (URL values, user files, imported or data
names) is made safe for Markdown, and the catalogue messages that carry such text.

Streamlit renders Markdown in st.markdown/caption/info/warning/error/success, titles and headers; a value such
as `[x](//e.vil)` would become a live link, `<b>` or `$x$` markup. `md` escapes every Markdown, HTML and LaTeX
sign, so the value shows exactly as typed. Plain-text places (dataframe cells, selectbox options, chart labels,
widget values) need no escaping and take `t(...)` directly.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from geo.i18n import t
from pages.ui.session import lang

# `$` too: Streamlit's Markdown renders $…$ as LaTeX.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(value: Any, limit: int | None = 80) -> str:
    """`value` as inert Markdown text: shortened (unless `limit` is None), line breaks as spaces, every
    Markdown/HTML/LaTeX sign escaped."""
    text = re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", str(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def say(key: str, /, **values: Any) -> str:
    """The catalogue message `key` in the session's language, every filled-in value escaped (numbers too:
    they are formatted first by the caller, e.g. f"{n:,}", and escaping them is harmless)."""
    return t(key, lang(), **{name: md(value, None) for name, value in values.items()})


def warn(key: str, /, **values: Any) -> None:
    st.warning(say(key, **values), icon="⚠️")


def info(key: str, /, **values: Any) -> None:
    st.info(say(key, **values))


def error(key: str, /, **values: Any) -> None:
    st.error(say(key, **values))


def caption(key: str, /, **values: Any) -> None:
    st.caption(say(key, **values))


def markdown(key: str, /, **values: Any) -> None:
    st.markdown(say(key, **values))
