"""Reports for people: validation findings grouped by shape, each naming where to fix it."""

from __future__ import annotations

from kg.validate import ValidationReport


def validation_text(report: ValidationReport) -> str:
    lines: list[str] = []
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"The graph {verdict}: {len(report.violations)} violation(s), "
                 f"{len(report.warnings)} warning(s) in {report.triples} triples "
                 f"from {report.files} file(s).")
    for shape, findings in report.by_shape().items():
        severity = findings[0].severity
        lines.append("")
        lines.append(f"{severity.upper()} {shape} ({len(findings)})")
        lines.append(f"  {findings[0].message}")
        for f in findings:
            label = f" \"{f.label}\"" if f.label else ""
            where = f"  [{f.file}]" if f.file else ""
            path = f" {f.path}" if f.path else ""
            value = f" = {f.value!r}" if f.value else ""
            lines.append(f"  - {f.focus}{label}{path}{value}{where}")
            if f.message != findings[0].message:
                lines.append(f"      {f.message}")
    return "\n".join(lines) + "\n"
