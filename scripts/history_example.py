"""Regenerate the README's history example from real runs: the shipped graph plus Epoch AI's
notable-models snapshot, the as-of table the day before DeepSeek-V4's release and a month after,
and `kg diff` between the two.

Every command is run as written in the README (through `kg`, 100 columns wide, as when piped);
the README block between `<!-- history-example:start -->` and `<!-- history-example:end -->` is
replaced, and the full outputs go to benchmarks/results/history-example.md, so nothing in the
README is typed by hand. Needs ../shared/data/epoch/ (the Epoch snapshot).

    .venv/bin/python scripts/history_example.py
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EPOCH = ROOT.parent / "shared" / "data" / "epoch" / "notable_ai_models.csv"
README = ROOT / "README.md"
FULL = ROOT / "benchmarks" / "results" / "history-example.md"
START, END = "<!-- history-example:start -->", "<!-- history-example:end -->"
BEFORE, AFTER = "2026-04-23", "2026-05-31"  # DeepSeek-V4 was released on 2026-04-24
GRAPH = "--graph graph --graph epoch.ttl"
TABLE = "--lab DeepSeek --since 2025 --columns released,params,active,tokens,flop --format md"


def run(command: str, work: Path) -> tuple[str, float]:
    """Run one `kg ...` command line in `work` (epoch.ttl lives there; graph/ is linked)."""
    kg = str(Path(sys.executable).with_name("kg"))
    argv = shlex.split(command)
    assert argv[0] == "kg"
    env = {**os.environ, "COLUMNS": "100", "PAGER": "cat", "NO_COLOR": "1"}
    t = time.perf_counter()
    done = subprocess.run([kg, *argv[1:]], cwd=work, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr, time.perf_counter() - t


def main() -> None:
    if not EPOCH.is_file():
        raise SystemExit(f"{EPOCH} is absent: the example needs the Epoch snapshot")
    with tempfile.TemporaryDirectory(prefix="kg-history-example-") as tmp:
        work = Path(tmp)
        (work / "graph").symlink_to(ROOT / "graph")
        (work / "epoch.csv").symlink_to(EPOCH)
        commands = [
            "kg import epoch epoch.csv --snapshot 2025-11-03 --output epoch.ttl --no-summary",
            f"kg table {GRAPH} --as-of {BEFORE} {TABLE}",
            f"kg table {GRAPH} --as-of {AFTER} {TABLE}",
            f"kg diff {GRAPH} {BEFORE} {AFTER} --format md",
            f'kg history {GRAPH} "DeepSeek-V4" "total parameters"',
        ]
        outputs = []
        for command in commands:
            out, seconds = run(command, work)
            print(f"{seconds:6.1f} s  {command}", flush=True)
            outputs.append((command.replace("epoch.csv", "../shared/data/epoch/notable_ai_models.csv"),
                            out.rstrip("\n"), seconds))
    FULL.write_text(full_text(outputs), encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} block")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(head + START + "\n" + readme_block(outputs) + END + tail, encoding="utf-8")
    print(f"wrote {FULL.relative_to(ROOT)} and the README's history example")


def full_text(outputs: list[tuple[str, str, float]]) -> str:
    lines = ["# The history example, in full", "",
             "Produced by `scripts/history_example.py` (the README shows the tables and the diff's "
             "DeepSeek rows); the shipped graph plus Epoch AI's notable-models table, snapshot "
             "2025-11-03. Seconds are wall time on a shared 2-core machine.", ""]
    for command, out, seconds in outputs:
        lines += [f"## `{command}` ({seconds:.1f} s)", "", "````text", out, "````", ""]
    return "\n".join(lines)


def readme_block(outputs: list[tuple[str, str, float]]) -> str:
    (imp, imp_out, _), before, after, (diff, diff_out, _), (hist, hist_out, _) = outputs
    lines = ["```text", f"$ {imp}", first_lines(imp_out, 1)]
    for command, out, _s in (before, after):
        lines += [f"$ {command}", table_only(out)]
    lines += ["```", "",
              "`kg diff` says what changed and why, cell by cell (here only its summary and the "
              "DeepSeek rows; `benchmarks/results/history-example.md` has every line):", "",
              "```text", f"$ {diff} | grep -E '^(# |From|## Table|\\| (model|---|DeepSeek))'"]
    keep = [line for line in diff_out.splitlines()
            if re.match(r"^(# |From|## Table|\| (model|---|DeepSeek))", line)]
    lines += keep + ["```", "",
                     "and DeepSeek-V4's total parameters over time (`kg history`, described below):", "",
                     "```text", f"$ {hist}", hist_out, "```", ""]
    return "\n".join(lines)


def first_lines(text: str, n: int) -> str:
    return "\n".join(text.splitlines()[:n])


def table_only(md: str) -> str:
    """The table's rows and its title, without the source list and notes under it."""
    return "\n".join(line for line in md.splitlines() if line.startswith(("|", "### ")))


if __name__ == "__main__":
    main()
