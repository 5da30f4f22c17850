"""A plain (non-editable) install must work from any folder: the wheel carries the ontology, the
shipped graph and the queries as package data, and kg finds them through importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if built.returncode != 0 and "hatchling" in built.stderr:
        pytest.skip("hatchling (the build backend) is not installed in this environment")
    assert built.returncode == 0, built.stderr
    return next(out.glob("kg-*.whl"))


def test_the_wheel_ships_data_and_types(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kg/py.typed" in names
    for folder in ("ontology", "queries", "graph"):
        here = {str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*") if p.is_file()}
        shipped = {n.removeprefix("kg/_data/") for n in names if n.startswith(f"kg/_data/{folder}/")}
        assert here <= shipped, here - shipped


def test_an_unpacked_wheel_runs_kg_table_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("KG_HOME", "PYTHONPATH")}
    code = "import sys; sys.path.insert(0, sys.argv[1]); from kg.cli import main; main(sys.argv[2:])"
    for args in (["table", "--format", "csv"], ["validate"], ["export", "--format", "md", "-o", "t.md"]):
        done = subprocess.run([sys.executable, "-I", "-c", code, str(site), *args], cwd=elsewhere,
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, (args, done.stderr)
    table = subprocess.run([sys.executable, "-I", "-c", code, str(site), "table", "--format", "csv"],
                           cwd=elsewhere, capture_output=True, text=True, env=env).stdout
    assert "DeepSeek-V3" in table and (elsewhere / "t.md").stat().st_size > 1000
