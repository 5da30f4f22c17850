"""Which models a card's licence covers, and the licence sentences a card states in prose.

A licence is about the weights a card releases, not about whichever model the card names most:
a DeepSeek-V4 card names V4-Pro most, yet its `license: mit` and its "the model weights are
licensed under the MIT License" cover every checkpoint of its download table. So a licence goes
on, in order:

1. the card's main subject when a person gave it (`kg extract --subject`) or the card's metadata
   names it (`model-index`, `model_name`);
2. else the models the card releases: the first column of its download or model-summary table
   (a table under a heading naming downloads, models or checkpoints, or with a "Download"
   column);
3. else the model the card's headline names;
4. else the model it names most (the document's main subject, as for other figures).

Each proposal says which rule chose its subject, so a reviewer sees why a licence sits where it
does.
"""

from __future__ import annotations

import dataclasses
import re

from kg.core.vocab import KGP
from kg.ingest.documents.model import Document, Heading, ListItem, Paragraph, Table
from kg.ingest.names import Choice, EntityBook, clean_name, model_like
from kg.ingest.proposal import ProposedClaim

_RELEASE_HEADING = re.compile(r"download|model (?:summary|list|zoo)|checkpoints?|^models?$|"
                              r"open[- ]weights?|model card", re.I)
# "licensed under the MIT License", "released under [Apache 2.0](LICENSE)", "under the Modified
# MIT License"; the licence's name is what follows, up to its "License"/"Licence" or version
_LICENSED = re.compile(
    r"\b(?:licen[cs]ed|released|distributed|made available|available|published)\s+under\s+"
    r"(?:the\s+|a\s+|an\s+)?"
    r"(?P<name>(?:[A-Z][\w.+-]*\s+){0,5}?(?:Licen[cs]e(?:\s+Agreement)?|\d+(?:\.\d+)?)"
    r"|MIT\b|Apache\b)")


def released_models(document: Document, book: EntityBook) -> list[Choice]:
    """The models a card releases: the first column of its download or model-summary table."""
    heading = ""
    out: dict[str, Choice] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = block.text
            continue
        if not isinstance(block, Table) or not block.rows:
            continue
        header = next((r for r in block.rows if r.kind == "header"), block.rows[0])
        has_download = any(re.search(r"download", c.text, re.I) for c in header.cells)
        if not (has_download or _RELEASE_HEADING.search(heading.strip())):
            continue
        for row in block.rows:
            if row.kind != "body" or not row.cells:
                continue
            name, _mode = clean_name(row.cells[0].text)
            if not name or not model_like(name):
                continue
            choice = book.choose(name)
            out.setdefault(choice.iri, choice)
    return list(out.values())


def licence_subjects(document: Document, book: EntityBook, main: Choice | None, *,
                     explicit: bool, headline: Choice | None) -> list[tuple[Choice, str]]:
    """The subjects a card's licence goes on, each with the rule that chose it (module doc)."""
    if explicit and main is not None:
        return [(main, f"the card's own subject {main.label!r}")]
    released = released_models(document, book)
    if released:
        names = ", ".join(c.label for c in released)
        return [(c, f"a model the card releases (its download table lists {names})")
                for c in released]
    if headline is not None:
        return [(headline, f"the model the card's headline names, {headline.label!r}")]
    if main is not None:
        return [(main, f"the document's main subject {main.label!r} (no download table, no "
                       "subject given)")]
    return []


def licence_sentences(document: Document) -> list[tuple[int, str, str]]:
    """(line, licence name, evidence) for each prose sentence that says what the card's weights
    or code are licensed under ("... licensed under the MIT License")."""
    out = []
    for block in document.blocks:
        if not isinstance(block, Paragraph | ListItem):
            continue
        for m in _LICENSED.finditer(block.text):
            name = m.group("name").strip().rstrip(".")
            before = block.text[:m.start()].split()[-4:]   # a few words before, whole words
            evidence = " ".join(before + block.text[m.start():m.end()].split())[-88:]
            out.append((block.line, name, evidence))
    return out


def licence_proposals(document: Document, book: EntityBook, main: Choice | None, metadata:
                      list[ProposedClaim], *, explicit: bool, headline: Choice | None
                      ) -> list[ProposedClaim]:
    """The card's licence proposals, metadata and prose, one per covered model; `metadata` are
    the front matter's proposals, whose licence is re-attached here and the rest kept."""
    out = [p for p in metadata if p.property != KGP + "licence"]
    found = [p for p in metadata if p.property == KGP + "licence"]
    for line, name, evidence in licence_sentences(document):
        choice = book.choose(name, cls="Licence", classes=("Licence",))
        found.append(ProposedClaim(
            line=line, stated=name, subject=None, property=KGP + "licence", hedge="Stated",
            evidence=evidence, confidence=0.8, source="prose", locator=f"line {line}",
            value_entity=choice.iri,
            decided_by=f"property: 'licensed under' names {choice.label!r} ({choice.how})"))
    if found and headline is None and document.headline:
        # a headline naming a model the graph does not know yet ("Bar-LM 2 release notes")
        names = model_like(document.headline)
        headline = book.choose(names[0][2]) if names else None
    subjects = licence_subjects(document, book, main, explicit=explicit, headline=headline)
    for p in found:
        how = p.decided_by.split("; property: ", 1)[-1].removeprefix("property: ")
        for subj, why in subjects:
            out.append(dataclasses.replace(
                p, subject=subj.iri, subject_label=subj.label, subject_new=subj.new,
                decided_by=f"subject: {why}; property: {how}", reasons=list(p.reasons)))
    return out
