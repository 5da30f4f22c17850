"""A Hugging Face model card's YAML front matter as proposed claims.

A model card's metadata is structured already: `model-index` lists evaluation results (task,
dataset, metric, value), `base_model` names what the model was fine-tuned or quantised from,
`datasets` what it was trained on, `license` its licence. Read with a real YAML parser (PyYAML),
each becomes a proposal like any extracted figure, unreviewed until a person accepts it through
the same review step (`kg review`, `kg add --from-review`).
"""

from __future__ import annotations

from typing import Any

from kg.core.errors import InputError


def load_front_matter(text: str, where: str = "front matter") -> dict[str, Any]:
    """The YAML mapping of a card's front matter ({} when empty); a clear error when malformed."""
    import yaml

    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark is not None else ""
        raise InputError(f"{where}{line}: the YAML front matter cannot be read "
                         f"({getattr(exc, 'problem', None) or exc})",
                         hint="check the metadata block between the two '---' lines") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{where}: the YAML front matter is not a mapping of keys to values")
    return data


def card_model_name(text: str) -> str | None:
    """The model a card describes, as its metadata names it (`model-index` name, `model_name`)."""
    try:
        data = load_front_matter(text)
    except InputError:
        return None
    index = data.get("model-index")
    if isinstance(index, list) and index and isinstance(index[0], dict) and index[0].get("name"):
        return str(index[0]["name"]).split("/")[-1]
    for key in ("model_name", "model-name", "name"):
        if isinstance(data.get(key), str):
            return data[key].split("/")[-1]
    return None


def _line_of(lines: list[str], *texts: object) -> int:
    """1-based line (within the whole file: the front matter starts at line 2) where a value is."""
    for text in texts:
        needle = str(text).strip()
        if not needle:
            continue
        for i, line in enumerate(lines, start=2):
            if needle in line:
                return i
    return 2


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def card_proposals(front_matter: str, book, main, path: str = "model card") -> list:
    """Proposals from a Hugging Face card's metadata: `model-index` results as benchmark scores,
    `base_model`, `datasets` and `license`, each with the line it sits on in the front matter."""
    from kg.core.vocab import KGP
    from kg.ingest.proposal import ProposedClaim

    data = load_front_matter(front_matter, path)
    lines = front_matter.splitlines()
    out: list[ProposedClaim] = []
    if main is None:
        return out
    how = f"subject: {main.how or 'the model the card describes'}"

    def proposal(line: int, stated: str, prop: str, decided: str, **kw) -> ProposedClaim:
        return ProposedClaim(line=line, stated=stated, subject=main.iri, property=KGP + prop,
                             hedge="Stated", evidence=f"metadata: {stated}"[:88], confidence=0.85,
                             subject_label=main.label, subject_new=main.new, source="metadata",
                             locator=f"YAML front matter line {line}",
                             decided_by=f"{how}; property: {decided}", **kw)

    for entry in _as_list(data.get("model-index")):
        if not isinstance(entry, dict):
            continue
        for result in _as_list(entry.get("results")):
            if not isinstance(result, dict):
                continue
            task = result.get("task") or {}
            dataset = result.get("dataset") or {}
            name = str(dataset.get("name") or dataset.get("type") or "").strip()
            if not name:
                continue
            bench = book.choose(name, cls="Benchmark", classes=("Benchmark",))
            for metric in _as_list(result.get("metrics")):
                if not isinstance(metric, dict) or metric.get("value") is None:
                    continue
                value = str(metric["value"]).strip()
                details = [str(metric.get("name") or metric.get("type") or ""),
                           f"task {task.get('type')}" if isinstance(task, dict) and task.get("type") else "",
                           f"split {dataset.get('split')}" if dataset.get("split") else "",
                           f"config {dataset.get('config')}" if dataset.get("config") else ""]
                out.append(proposal(
                    _line_of(lines, f"value: {value}", value), value, "benchmarkScore",
                    f"model-index result on dataset {name!r}: a benchmark score",
                    benchmark=bench.iri, benchmark_label=bench.label, benchmark_new=bench.new,
                    condition=", ".join(d for d in details if d) or None))
    for base in _as_list(data.get("base_model")):
        text = str(base).strip()
        if not text:
            continue
        choice = book.choose(text.split("/")[-1])
        out.append(proposal(_line_of(lines, text), text, "baseModel",
                            f"`base_model` names {choice.label!r} ({choice.how})",
                            value_entity=choice.iri, condition=None))
    for dataset in _as_list(data.get("datasets")):
        text = str(dataset).strip()
        if text:
            out.append(proposal(_line_of(lines, text), text, "trainingDataset", "`datasets` lists it",
                                value_text=text))
    licence = data.get("license")
    if licence:
        text = str(licence).strip()
        if text.lower() == "other" and data.get("license_name"):
            text = str(data["license_name"]).strip()
        choice = book.choose(text, cls="Licence", classes=("Licence",))
        out.append(proposal(_line_of(lines, f"license: {licence}", text), text, "licence",
                            f"`license` names {choice.label!r} ({choice.how})", value_entity=choice.iri))
    return out
