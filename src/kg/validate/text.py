"""Reports for people: validation findings grouped by shape, each naming where to fix it.

IRIs are shortened (kgc:..., kgs:claim-source as ontology/shapes.ttl spells it) and files are
shown relative to the working directory, because the reader copies them into an editor.
"""

from __future__ import annotations

from pathlib import Path

from kg.core.tabular import terminal_text
from kg.core.vocab import shorten
from kg.validate.findings import ValidationReport, shape_name


def validation_text(report: ValidationReport) -> str:
    lines: list[str] = []
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"The graph {verdict}: {len(report.violations)} violation(s), "
                 f"{len(report.warnings)} warning(s) in {report.triples} triples "
                 f"from {report.files} file(s).")
    for shape, findings in report.by_shape().items():
        severity = findings[0].severity
        lines.append("")
        lines.append(f"{severity.upper()} {shape_name(shape)} ({len(findings)})")
        lines.append(f"  {terminal_text(findings[0].message)}")
        for f in findings:
            label = f" \"{terminal_text(f.label)}\"" if f.label else ""
            where = f"  [{_relative(f.file)}{f':{f.line}' if f.line else ''}]" if f.file else ""
            path = f" {f.path}" if f.path else ""
            value = f" = {terminal_text(_term(f.value))}" if f.value and f.value != f.focus else ""
            lines.append(f"  - {terminal_text(shorten(f.focus))}{label}{path}{value}{where}")
            if f.message != findings[0].message:
                lines.append(f"      {terminal_text(f.message)}")
    return "\n".join(lines) + "\n"


def _term(value: str) -> str:
    short = shorten(value)
    return short if short != value or value.startswith(("http://", "https://")) else repr(value)


def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return file
