"""kg never reaches the network behind the user's back: two guards, one for each way it could.

1. SPARQL text: `SERVICE` and `LOAD` make the engine fetch from other machines. pyoxigraph does
   that from Rust, out of Python's sight, so the query text itself is checked before it runs.
   The check strips strings, IRIs, prefixed names, variables and comments first, so the word
   inside `<.../claim/load-x>` or `kgc:service-1` is not mistaken for the keyword.
2. Python sockets: while a command runs without `--endpoint` or `--allow-network`,
   `no_network()` has an audit hook (PEP 578) refuse every socket connection, DNS lookup and
   URL open, so a library that would follow `owl:imports` or a JSON-LD `@context` fails loudly
   instead of fetching. Unix-domain sockets are local and allowed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.core.errors import NetworkRefused, QueryError

# after comments, strings and IRIs are blanked (kg.store.sparql_text), the keyword must not be a
# variable (?load), part of a prefixed name (kgc:service-1, load:x, service.ex:y) or of a word
_NETWORK_KEYWORD = re.compile(r"(?<![\w:\-.?$%\\])(SERVICE|LOAD)(?![\w:\-]|\.[\w.\-]*:)", re.I)


__all__ = ["NetworkRefused", "network_keyword", "no_network", "offline", "permit_network",
           "refuse_network"]


def network_keyword(text: str) -> str | None:
    """SERVICE or LOAD if the SPARQL text uses it as a keyword, else None."""
    from kg.store.sparql_text import blank_out

    if not _NETWORK_KEYWORD.search(text):  # not even inside an IRI or a string: nothing to blank
        return None
    match = _NETWORK_KEYWORD.search(blank_out(text))
    return match.group(1).upper() if match else None


def refuse_network(text: str, allowed: bool) -> None:
    """Raise QueryError when a query or update would fetch from the network and that is not allowed."""
    if allowed:
        return
    keyword = network_keyword(text)
    if keyword:
        raise QueryError(f"the query uses {keyword}, which would fetch data from the network",
                         hint="pass --allow-network if you mean it")


# ------------------------------------------------------------------ the audit hook

_EVENTS = {"socket.connect", "socket.connect_ex", "socket.getaddrinfo", "socket.gethostbyname",
           "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg",
           "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect"}
_state = {"installed": False, "depth": 0, "permitted": False}


def _hook(event: str, args: tuple) -> None:
    if not _state["depth"] or _state["permitted"] or event not in _EVENTS:
        return
    if event.startswith("socket.") and args and _is_unix(args[0]):
        return
    target = _describe(event, args)
    raise NetworkRefused(f"refused to reach the network ({target}): kg works offline",
                         hint="pass --allow-network, or --endpoint for a SPARQL server, if you mean it")


def _is_unix(sock) -> bool:
    import socket

    return isinstance(sock, socket.socket) and getattr(socket, "AF_UNIX", None) == sock.family


def _describe(event: str, args: tuple) -> str:
    if event == "urllib.Request" and args:
        return str(args[0])
    if event in ("socket.connect", "socket.connect_ex", "socket.sendto") and len(args) > 1:
        return f"{event} to {args[1]!r}"
    if args:
        return f"{event} {args[0]!r}"
    return event


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse every Python-level network access inside the block (nests; thread-wide, not scoped)."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True
    _state["depth"] += 1
    permitted = _state["permitted"]
    _state["permitted"] = False
    try:
        yield
    finally:
        _state["depth"] -= 1
        _state["permitted"] = permitted


def permit_network() -> None:
    """Lift the guard until the enclosing `no_network()` block ends (--endpoint, --allow-network)."""
    _state["permitted"] = True


def offline() -> bool:
    """True while a `no_network()` block is active and the network was not permitted."""
    return bool(_state["depth"]) and not _state["permitted"]
