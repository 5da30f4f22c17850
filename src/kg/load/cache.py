"""Graph files kg has checked before: the next command on the same bytes loads them natively.

An in-memory command (no --store, no --endpoint) loads the graph anew each time: at 100,000
claims about 12 s of CPU, most of it turning 1.6 M triples into Python objects to check them
(kg.load.turtle: syntax, each literal's lexical form, a claim defined differently in two files,
each subject's file), inserting them one by one and asking which claims need normalising. When
the files are big enough for that to matter (8 MB together; `KG_LOAD_CACHE_MIN` bytes), a
load that found no problem leaves a record keyed by the SHA-256 of each file's bytes, in order,
and by kg's own code and pyoxigraph's version: the triple and claim counts, each subject's file
and the values kg normalised. The next command on the same bytes loads each file with
Oxigraph's own parser straight from the bytes it hashed, adds the kept values and takes the
rest from the record (about 5 s instead of 12 at 100,000 claims). Any change to any file, or
to kg, gives another key: the full load and its checks run again. A load with problems (a
figure kg could not read) is not recorded, so they are reported every time.

Records live in `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/kg/load`, else `~/.cache/kg/load`, one
JSON file each, written atomically (a half-written record is never read), the newest 8 kept.
`KG_LOAD_CACHE=0` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.load.turtle import LoadReport

FORMAT = 1          # bumped when the record's layout changes
KEEP = 8            # records kept, newest first
MIN_BYTES = 8 << 20  # graphs smaller than this load in about a second: not worth a record


def enabled() -> bool:
    return os.environ.get("KG_LOAD_CACHE", "1").strip().lower() not in ("0", "no", "false", "off")


def folder() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg" / "load"


def wanted(files: list[Path]) -> bool:
    """Is a record worth keeping (or looking for) for these files?"""
    if not enabled():
        return False
    least = int(os.environ.get("KG_LOAD_CACHE_MIN", MIN_BYTES))
    try:
        return sum(f.stat().st_size for f in files) >= least
    except OSError:
        return False


@dataclass
class ReadFiles:
    """The files' bytes as read once, their digests, and the record's key for them."""

    data: list[bytes]
    digests: list[str]
    key: str


def read(files: list[Path]) -> ReadFiles:
    """Each file's bytes (read once: what is hashed is what is loaded) and the key."""
    data = [f.read_bytes() for f in files]
    digests = [hashlib.sha256(d).hexdigest() for d in data]
    key = hashlib.sha256(json.dumps([FORMAT, code_fingerprint(), digests]).encode()).hexdigest()
    return ReadFiles(data, digests, key)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """kg's code and queries (name, size, modification time of each file: its version is in
    its __init__.py) and pyoxigraph's version: what decides how files are checked and
    normalised."""
    from kg.core.resources import QUERIES

    package = Path(__file__).resolve().parents[1]  # the kg package, without importing it whole
    parts = [ox.__version__]
    for root, pattern in ((package, "*.py"), (QUERIES, "*.r[qu]")):
        for path in sorted(root.rglob(pattern)):
            stat = path.stat()
            parts.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lookup(store, files: list[Path], read_files: ReadFiles) -> LoadReport | None:
    """Load the files natively when a record for exactly these bytes exists; its report, or
    None (nothing loaded) when there is none or it cannot be read."""
    entry = folder() / f"{read_files.key}.json"
    try:
        record = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT \
            or record.get("digests") != read_files.digests:
        return None
    for path, data in zip(files, read_files.data, strict=True):
        store.load_data(data, base_iri=path.resolve().as_uri())
    if record["normalised"]:
        store.load_data(record["normalised"].encode("utf-8"), fmt=ox.RdfFormat.N_TRIPLES)
    report = LoadReport(files=files, triples=record["triples"], claims=record["claims"],
                        digests=read_files.digests)
    origin = report.origin
    for path, subjects in zip(files, record["origin"], strict=True):
        for subject in subjects:
            origin[subject] = path
    with contextlib.suppress(OSError):
        os.utime(entry)  # the newest used survive the pruning
    return report


def has_record(read_files: ReadFiles) -> bool:
    """Is there a record for exactly these bytes (a load of them that found no problem)?"""
    return (folder() / f"{read_files.key}.json").is_file()


def remember(report: LoadReport, read_files: ReadFiles, normalised: list[ox.Quad]) -> None:
    """Keep a record of a load that found no problem (atomically; a failure to write is
    ignored: the cache only saves time)."""
    from kg.core.files import write_atomic

    if report.problems:
        return
    index = {path: i for i, path in enumerate(report.files)}
    origin: list[list[str]] = [[] for _ in report.files]
    for subject, path in report.origin.items():
        origin[index[path]].append(subject)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in normalised]
    text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8") \
        if triples else ""
    record = {"format": FORMAT, "digests": read_files.digests, "triples": report.triples,
              "claims": report.claims, "origin": origin, "normalised": text}
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(where / f"{read_files.key}.json",
                     json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        prune(where, "*.json")
    except OSError:
        return


def prune(where: Path, pattern: str, *, keep: int = KEEP) -> None:
    """Keep the newest `keep` files of `pattern` in the cache folder."""
    entries = sorted(where.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
