"""What a shell user gets: `kg --version`, tab completion as the README documents it, and the
README showing every export format."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kg.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
KG = Path(sys.executable).parent / "kg"  # the installed entry point, named as users type it


def test_version_is_the_package_version(runner):
    from importlib.metadata import version

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"kg, version {version('kg')}"


@pytest.fixture()
def kg_command():
    if not KG.exists():
        pytest.skip(f"the kg entry point is not installed beside {sys.executable}")
    return str(KG)


def test_readme_documents_completion_and_it_works(kg_command):
    assert '_KG_COMPLETE=bash_source kg' in README
    env = {**os.environ, "_KG_COMPLETE": "bash_source"}
    script = subprocess.run([kg_command], env=env, capture_output=True, text=True, timeout=60)
    assert script.returncode == 0 and "_kg_completion()" in script.stdout
    # what bash asks when the user has typed `kg exp<TAB>`, and `kg export --format <TAB>`
    words = {**os.environ, "_KG_COMPLETE": "bash_complete", "COMP_WORDS": "kg exp", "COMP_CWORD": "1"}
    done = subprocess.run([kg_command], env=words, capture_output=True, text=True, timeout=60)
    assert "plain,export" in done.stdout.splitlines()
    formats = {**os.environ, "_KG_COMPLETE": "bash_complete",
               "COMP_WORDS": "kg export --format ", "COMP_CWORD": "3"}
    done = subprocess.run([kg_command], env=formats, capture_output=True, text=True, timeout=60)
    offered = {line.split(",", 1)[1] for line in done.stdout.splitlines()}
    assert {"html", "xlsx", "claimreview", "jsonld"} <= offered


def test_readme_shows_every_export_format_and_standard_output():
    from kg.report.exports import FORMATS

    shown = set(re.findall(r"kg export [^\n]*--format (\w+)", README))
    assert set(FORMATS) - {"md", "ttl", "json"} <= shown, set(FORMATS) - shown
    assert "-o -" in README and "kg --version" in README
