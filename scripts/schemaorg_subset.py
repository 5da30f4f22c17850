"""Derive the small schema.org fixture the ClaimReview test checks exports against.

    python scripts/schemaorg_subset.py schemaorg-current-https.jsonld reviews.jsonld \
        > tests/data/schemaorg/claimreview-vocabulary.json

The first file is a schema.org release (data/releases/<version>/schemaorg-current-https.jsonld
in the schemaorg/schemaorg repository); the second a `kg export --format claimreview` output.
Kept: every class the export uses, with all its superclasses; every property it uses, with its
domainIncludes and rangeIncludes; the data types those ranges name, with theirs. Nothing else,
so the fixture stays small and a term the export starts to use without re-deriving fails the test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def ids(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return sorted(i["@id"].removeprefix("schema:") for i in items)


def main(release: str, export: str) -> None:
    vocabulary = {n["@id"].removeprefix("schema:"): n for n in json.loads(Path(release).read_text())["@graph"]
                  if isinstance(n.get("@id"), str) and n["@id"].startswith("schema:")}
    types, props = set(), set()

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            t = node.get("@type")
            types.update(t if isinstance(t, list) else [t] if t else [])
            for key, value in node.items():
                if not key.startswith("@"):
                    props.add(key)
                    walk(value)

    walk(json.loads(Path(export).read_text())["@graph"])

    def ancestors(name: str) -> list[str]:
        seen, todo = [], [name]
        while todo:
            current = todo.pop()
            for parent in ids(vocabulary.get(current, {}).get("rdfs:subClassOf")):
                if parent not in seen:
                    seen.append(parent)
                    todo.append(parent)
        return sorted(seen)

    properties = {}
    for p in sorted(props):
        node = vocabulary[p]
        properties[p] = {"domain": ids(node.get("schema:domainIncludes")),
                         "range": ids(node.get("schema:rangeIncludes"))}
    named = types | {r for p in properties.values() for r in p["range"]}
    classes = {c: ancestors(c) for c in sorted(named) if c in vocabulary}
    json.dump({"source": "schema.org vocabulary, " + "/".join(release.split("/")[-4:]),
               "classes": classes, "properties": properties}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
