"""kg.core.tabular.json_text writes indented JSON with its own encoder (json.dumps with an indent
is pure Python and was seconds of every big JSON output): the text must be json.dumps's, byte
for byte, for every kind of value kg writes and the odd ones it might."""

from __future__ import annotations

import enum
import json
import math
import random

import pytest

from kg.core.tabular import json_text


class Status(enum.StrEnum):
    AGREE = "agree"


class Rank(enum.IntEnum):
    THIRD = 3


class Opaque:
    def __str__(self) -> str:
        return "opaque thing"


def reference(data: object, **options) -> str:
    """What json_text wrote before it had an encoder of its own."""
    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(data), allow_nan=False, default=str, **options)


LEAVES = [None, True, False, 0, -5, 10**20, 1.5, 1e-7, 1e22, -0.0, 3.0, float("nan"),
          float("inf"), float("-inf"), "", "plain", 'quote " backslash \\ newline \n tab \t',
          "é € 😀 \x00 \x1f \u2028", Status.AGREE, Rank.THIRD, Opaque()]
KEYS = ["k", "é", "x\ny", 1, 2.5, None, True, False, Status.AGREE]


def tree(rng: random.Random, depth: int = 0) -> object:
    r = rng.random()
    if depth > 4 or r < 0.4:
        return rng.choice(LEAVES)
    if r < 0.55:
        return [rng.choice(["a", "b\n", "ü"]) for _ in range(rng.randint(0, 4))]
    if r < 0.75:
        items = [tree(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        return items if rng.random() < 0.8 else tuple(items)
    return {rng.choice(KEYS): tree(rng, depth + 1) for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize("indent", [0, 1, 2, 4])
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_indented_json_is_json_dumps_byte_for_byte(indent, ensure_ascii):
    rng = random.Random(indent * 2 + ensure_ascii)
    for _ in range(400):
        data = tree(rng)
        options = {"indent": indent, "ensure_ascii": ensure_ascii}
        assert json_text(data, **options) == reference(data, **options)


def test_other_options_and_bad_keys_behave_as_json_dumps():
    data = {"b": [1, float("nan")], "a": {"x": (1, 2)}}
    for options in ({}, {"sort_keys": True, "indent": 2}, {"separators": (",", ":")}):
        assert json_text(data, **options) == reference(data, **options)
    with pytest.raises(ValueError):
        json_text({float("nan"): 1}, indent=2)
    with pytest.raises(TypeError):
        json_text({(1, 2): 1}, indent=2)
