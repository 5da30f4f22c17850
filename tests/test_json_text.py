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


# ---------------------------------------------------------------- streamed (issue 19)


def _lazy(data: object, rng: random.Random) -> object:
    """`data` with some of its lists (at any depth) turned into JsonItems over a generator."""
    from kg.core.tabular import JsonItems

    if isinstance(data, dict):
        return {k: _lazy(v, rng) for k, v in data.items()}
    if isinstance(data, list):
        items = [_lazy(v, rng) for v in data]
        return JsonItems(v for v in items) if rng.random() < 0.5 else items
    return data


@pytest.mark.parametrize("indent", [0, 1, 2])
def test_streamed_json_is_json_text_byte_for_byte(indent):
    from kg.core.tabular import json_chunks

    rng = random.Random(19 + indent)
    for _ in range(400):
        data = tree(rng)
        lazy = _lazy(data, rng)
        assert "".join(json_chunks(lazy, indent=indent)) == \
            reference(data, indent=indent, ensure_ascii=False)


def test_streamed_json_is_written_while_the_items_are_made():
    """The point of streaming: text reaches `write` before the last item exists, in pieces of
    bounded size, and nothing is held back at the end."""
    from kg.core.tabular import JsonItems, write_json

    made = 0
    seen_while_making: list[int] = []
    pieces: list[str] = []

    def items():
        nonlocal made
        for i in range(20_000):
            made += 1
            yield {"n": i, "label": f"item {i}", "values": [1.5, None, "x"]}

    def write(text: str) -> None:
        seen_while_making.append(made)
        pieces.append(text)

    document = {"version": 1, "groups": JsonItems(items())}
    write_json(document, write, indent=2)
    assert len(pieces) > 10 and seen_while_making[0] < 20_000
    assert max(map(len, pieces)) < 1_000_000
    materialised = {"version": 1, "groups": [{"n": i, "label": f"item {i}",
                                             "values": [1.5, None, "x"]} for i in range(20_000)]}
    assert "".join(pieces) == json.dumps(materialised, indent=2, ensure_ascii=False)


def test_streamed_stdlib_json_is_json_dumps_byte_for_byte():
    """write_json_dumps (the JSON-LD exports) keeps json.dumps' own rules: NaN bare, keys as
    json writes them, each item's lines moved in to its depth."""
    from kg.core.tabular import JsonItems, write_json_dumps

    rng = random.Random(7)
    plain = [None, True, 0, 1.5, float("nan"), "line\nbreak é", "\u2028"]
    for _ in range(200):
        data = [{"@id": str(i), "v": rng.choice(plain), "list": [rng.choice(plain)] * 2,
                 "nested": {"deep": {"x": rng.choice(plain)}}} for i in range(rng.randint(0, 5))]
        context = {"a": "http://a/", "b": {"@id": "b:x", "@type": "@id"}}
        for indent in (1, 2):
            out: list[str] = []
            write_json_dumps({"@context": context, "@graph": JsonItems(iter(data))}, out.append,
                             indent=indent, ensure_ascii=False)
            assert "".join(out) == json.dumps({"@context": context, "@graph": data},
                                              indent=indent, ensure_ascii=False)


def test_streamed_csv_is_delimited_byte_for_byte():
    from kg.core.tabular import delimited, write_records_streamed

    records = [[i, f"=cmd{i}", None, 2.5, "a,b\n\"c\""] for i in range(10_000)]
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        pieces: list[str] = []
        write_records_streamed(["n", "text", "none", "x", "quoted"], iter(records), fmt,
                               pieces.append)
        assert len(pieces) > 1
        assert "".join(pieces) == delimited(["n", "text", "none", "x", "quoted"], records, sep)
