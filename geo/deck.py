"""Saved views for presenting: a deck is a list of URL states, itself one URL parameter, so it can be shared.

A saved view is the query string of its filters (`geo.filters.to_query`) plus the map page's own state that
decides what is drawn (`view`, `pair`, `case`); the language is left out, so a deck opens in the presenter's
language. The deck joins the views with '|' (each view is URL-encoded, so a '|' typed in a search box cannot split
it): `deck=cont%3DAfrica|mode%3Dflow%26bri%3Dasean` once Streamlit encodes the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from geo.filters import Filters, UrlProblem, Vocabulary, from_query, to_query

SEP = "|"
MAX_VIEWS = 30
PAGE_KEYS = ("view", "pair", "case")


@dataclass(frozen=True)
class Slide:
    """One saved view, read back: its filters (in the presenter's language), its page parameters, and what could
    not be used (a bad value is dropped and named, as for any link)."""

    filters: Filters
    params: dict[str, str] = field(default_factory=dict)
    problems: tuple[UrlProblem, ...] = ()


def view_query(filters: Filters, params: dict[str, str | None] | None = None) -> str:
    """The saved form of one view: its filters and page parameters as a query string (no language)."""
    query = {k: v for k, v in to_query(filters).items() if k != "lang"}
    query.update({k: str(v) for k, v in (params or {}).items() if k in PAGE_KEYS and v})
    return urlencode(query)


def encode(views: Sequence[str]) -> str:
    """The deck's URL value."""
    return SEP.join(views[:MAX_VIEWS])


def decode(text: str | None) -> list[str]:
    """The saved views of a deck's URL value (empty ones dropped, at most `MAX_VIEWS`)."""
    return [v for v in (text or "").split(SEP) if v.strip()][:MAX_VIEWS]


def add(views: Sequence[str], view: str) -> list[str]:
    """The deck with `view` added at the end (not twice in a row; the oldest dropped beyond `MAX_VIEWS`)."""
    out = list(views)
    if not out or out[-1] != view:
        out.append(view)
    return out[-MAX_VIEWS:]


def with_pair(view: str, pair_id: str) -> str:
    """The saved view with its `pair` set to `pair_id` (an old id brought up to date), every other parameter and
    their order kept."""
    pairs = parse_qsl(view, keep_blank_values=True)
    if not any(k == "pair" for k, _ in pairs):
        return view
    return urlencode([(k, pair_id if k == "pair" else v) for k, v in pairs])


def slide(view: str, vocab: Vocabulary, lang: str) -> Slide:
    """Read one saved view back, in `lang`. A view that is not a query string at all (a hand-edited or cut-off
    link: 'Africa' instead of 'cont=Africa') is named as a problem of `deck` and shown as the default view."""
    try:
        pairs = parse_qsl(view, keep_blank_values=False, strict_parsing=True)
    except ValueError:
        pairs = []
    query = {k: v for k, v in pairs if k != "lang"}
    f, problems = from_query(query, vocab, PAGE_KEYS)
    if not pairs:
        problems = [UrlProblem("deck", view), *problems]
    params = {k: v for k, v in query.items() if k in PAGE_KEYS}
    return Slide(replace(f, lang=lang), params, tuple(problems))
