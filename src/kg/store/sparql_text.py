"""SPARQL text as kg looks at it before a store parses it: comments, strings and IRIs blanked out.

kg reads query text in three places without parsing it: the network guard looks for SERVICE and
LOAD, bindings find the WHERE clause to open with a VALUES block, and `kg query` finds the
query form (SELECT, ASK, ...). Each blanked comments, strings and IRIs with a regular expression
first, so a keyword inside `<.../load-x>` or "a service" is not taken for one, and each of those
expressions took quadratic time on text a user can write: 100,000 `<` took 90 s, an unclosed
`'''` 81 s, a run of `\\"` 282 s (issue 18, benchmarks/parsers.py). Here one left-to-right pass
does it: an opening delimiter whose scan finds no end proves that no later opening before that
point can end either, so the scan never goes back.
"""

from __future__ import annotations

import re


def blank_out(text: str) -> str:
    """The text with comments, string literals and IRIs replaced by spaces (same length, line
    breaks kept), in time linear in its length."""
    out = list(text)
    n, i = len(text), 0
    give_up = {"<": -1, '"': -1, "'": -1, '"""': -1, "'''": -1}  # no opening before this closes
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            _blank(out, i, end)
            i = end
            continue
        if ch in "\"'" and text.startswith(ch * 3, i) and i > give_up[ch * 3]:
            end = _long_string_end(text, i + 3, ch)
            if end >= 0:
                _blank(out, i, end)
                i = end
                continue
            give_up[ch * 3] = n
        if ch in "\"'" and i > give_up[ch]:
            end, stop = _string_end(text, i + 1, ch)
            if end >= 0:
                _blank(out, i, end)
                i = end
                continue
            give_up[ch] = stop
        if ch == "<" and i > give_up["<"]:
            end, stop = _iri_end(text, i + 1)
            if end >= 0:
                _blank(out, i, end)
                i = end
                continue
            give_up["<"] = stop
        i += 1
    return "".join(out)


def _blank(out: list[str], start: int, end: int) -> None:
    out[start:end] = [c if c == "\n" else " " for c in out[start:end]]


def _string_end(text: str, i: int, quote: str) -> tuple[int, int]:
    """(index after the closing quote, -1) or (-1, where the scan stopped): a short string ends
    at its quote and may not hold a line break; a backslash escapes the next character."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1, -1
        if ch == "\n":
            return -1, i
        i += 1
    return -1, n


def _long_string_end(text: str, i: int, quote: str) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if text.startswith(quote * 3, i):
            return i + 3
        i += 1
    return -1


_IRI_BODY = re.compile(r'[^\s<>"{}|^`\\]*')  # what an IRI reference may hold, up to its `>`


def _iri_end(text: str, i: int) -> tuple[int, int]:
    """An IRI runs to `>` without blanks or the characters an IRI reference may not hold (one
    regular-expression match from `i`: a VALUES block of 500 IRIs is scanned in C, not by
    Python character by character)."""
    found = _IRI_BODY.match(text, i)  # `*` matches the empty string, so there is always one
    end = found.end() if found else i
    if end < len(text) and text[end] == ">":
        return end + 1, -1
    return -1, end
