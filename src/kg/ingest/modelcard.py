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
