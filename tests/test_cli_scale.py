"""kg load (kg.cli.scale): a load's own queries are not stopped by the default --timeout."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli.main import main
from kg.store.embedded import OxigraphStore

MINI = str(Path(__file__).resolve().parent / "data" / "grow" / "mini-graph")


def limits(monkeypatch) -> list:
    """The --timeout each store kg load opens is given."""
    seen: list = []
    real = OxigraphStore.__init__

    def spy(self, *args, **kw):
        seen.append(kw.get("timeout"))
        real(self, *args, **kw)

    monkeypatch.setattr(OxigraphStore, "__init__", spy)
    return seen


def test_load_runs_its_queries_without_the_default_time_limit(tmp_path, monkeypatch):
    # a 1M-claim load on a busy machine was stopped at 60 s in its normalising step, after
    # nine minutes of work, and left the store marked incomplete
    seen = limits(monkeypatch)
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "s"), "--graph", MINI])
    assert result.exit_code == 0, result.output
    assert seen[0] is None


def test_load_keeps_a_time_limit_it_is_given(tmp_path, monkeypatch):
    seen = limits(monkeypatch)
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "s"), "--graph", MINI,
                                       "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert seen[0] == 5.0
    seen.clear()
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "t"), "--graph", MINI,
                                       "--timeout", "0"])
    assert result.exit_code == 0, result.output
    assert seen[0] is None
