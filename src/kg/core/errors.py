"""Every error kg reports to a person, in one place.

Each carries an exit code so the CLI can map outcomes the way pySHACL does: 0 conforms or ran,
1 findings that fail (violations, `--fail-on conflict`), 2 could not run (bad input, bad query).
Messages name the file, line or node and say what to do, because the reader is an analyst
looking at a terminal, not a developer reading a traceback.
"""

from __future__ import annotations

import unicodedata

# how much of a value from data a message repeats: enough to find it, never a 10 MB literal
BRIEF = 80


def brief(text: str, limit: int = BRIEF) -> str:
    """The start of a long text and how long it is, so a message stays one readable line."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


_NAMED = {"\ufeff": "byte-order mark (U+FEFF)", "\u200b": "zero-width space (U+200B)",
          "\u00a0": "no-break space (U+00A0)", "\t": "tab", "\r": "carriage return",
          "\x00": "NUL byte"}


def visible(text: str) -> str:
    """Text with its invisible characters named, so a message never points at nothing.

    A parser's complaint about a byte-order mark printed the mark itself, which no terminal
    shows (issue 18); here it reads "[byte-order mark (U+FEFF)]".
    """
    out = []
    for ch in str(text):
        if ch in _NAMED:
            out.append(f"[{_NAMED[ch]}]")
        elif ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


class KgError(Exception):
    """Base class: something a user can fix, reported as one clear message."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class InputError(KgError):
    """A file kg was asked to read is missing, unreadable or malformed."""


class QuantityError(KgError):
    """A stated value cannot be turned into a number with a unit."""

    def __init__(self, text: str, reason: str, *, claim: str | None = None,
                 hint: str | None = None) -> None:
        where = f" in claim {claim}" if claim else ""
        super().__init__(f"cannot read the value {brief(text)!r}{where}: {reason}", hint=hint)
        self.text = text
        self.reason = reason
        self.claim = claim


class QueryError(KgError):
    """A SPARQL query is malformed, unknown, refused or took too long."""


class UnknownName(QueryError):
    """A name, IRI or prefixed name given for an entity matches no node, or several (exit 2).

    The message lists the nearest names the graph has, so the person can pick one."""


class NetworkRefused(KgError):
    """Something tried to reach the network while kg runs offline (see kg.store.netguard)."""


class StoreError(KgError):
    """The store (embedded, on disk or a server) could not do what was asked."""


class ConflictsFound(KgError):
    """Raised only with `--fail-on conflict`: conflicts are findings, not failures, by default."""

    exit_code = 1


class WriteRefused(KgError):
    """A write was refused to keep what is stored intact (collision, invalid result, lock held)."""

    exit_code = 1
