"""Names in a document: which entity each one is, which the graph does not know yet, and what the
document is mainly about.

Extraction meets three kinds of names. Names the graph knows (a label or alias) link to their
entity, but only by exact or normalised match: a figure on the wrong entity is worse than a
proposed new one a reviewer merges with one keystroke. Names it does not know (a table header
"Kimi K2 Instruct", a dated snapshot "GPT-4o 0513") become *proposed* entities with the label the
document uses, never the nearest known name; within one document two spellings of one name
("Claude-3.5-Sonnet-1022", "Claude-Sonnet-3.5-1022") propose one entity. And the document's main
subject (the model a model card is about) answers for figures whose sentence or table names none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.core.vocab import KGE
from kg.ingest.resolve import Resolver, normalise, slug

SUBJECT_CLASSES = ("Model", "ModelFamily")
QUALIFIER_CLASSES = {"Chip", "System", "Benchmark"}

# a model-like name: a capitalised word followed by a version-bearing token ("Llama 3.1",
# "Kimi K2", "GPT-4o", "Qwen2.5-72B", "DeepSeek-V3-0324"), with size and variant words after it
_TOKEN = r"(?:[A-Z][A-Za-z]*\d+(?:\.\d+)*[A-Za-z]*|\d+(?:\.\d+)*[A-Za-z]*|[A-Z][a-z]+|[A-Z]+)"
MODEL_NAME = re.compile(
    rf"(?<![\w.@/-])[A-Z][A-Za-z]+(?:\d+(?:\.\d+)*[A-Za-z]*)?(?:[-\s]{_TOKEN}){{0,4}}(?![\w@])")
_NOT_NAMES = {"in", "on", "at", "the", "since", "by", "table", "figure", "section", "step", "phase",
              "version", "top", "tier", "level", "stage", "group", "part", "chapter", "from", "for",
              "and", "with", "of", "to", "as", "than", "over", "under", "up", "about", "model", "models",
              "we", "our", "it", "its", "this", "these", "all", "each", "every", "only", "q", "fy",
              "flops", "flop", "tflops", "pflops", "gflops", "eflops", "gb", "tb", "gpus", "hours",
              "rmb", "usd", "cny", "eur", "gbp", "jpy"}   # "RMB 60 billion": a currency, not a name
_MODE = re.compile(r"\s*\(([^()]*)\)\s*$")


def clean_name(name: str) -> tuple[str, str | None]:
    """A header's name without markup and without a trailing mode in parentheses, and that mode.

    "Claude Sonnet 4 (w/o extended thinking)" -> ("Claude Sonnet 4", "w/o extended thinking");
    a parenthesis with digits is part of the name ("Gemini 2.5 Flash Preview (05-20)"). The
    abbreviation "Inst." that benchmark tables use for instruction-tuned models is written out.
    """
    name = re.sub(r"[*_`]+", "", name).strip()
    mode = None
    m = _MODE.search(name)
    if m and not re.search(r"\d", m.group(1)) and m.start() > 0:
        mode = m.group(1).strip()
        name = name[:m.start()].strip()
    name = re.sub(r"(?<=[\s-])Inst\.?(?=$|[\s-])", "Instruct", name)
    return name, mode


def name_keys(name: str) -> tuple[str, str]:
    """The normalised key and the order-free key under which one document's spellings meet."""
    key = normalise(name)
    return key, " ".join(sorted(key.split()))


def model_like(text: str) -> list[tuple[int, int, str]]:
    """Spans of names that look like model names (a word and a version), for masking and counting."""
    out = []
    for m in MODEL_NAME.finditer(text):
        name = m.group(0).strip()
        words = name.split()
        while words and words[-1].lower() in _NOT_NAMES:
            words.pop()
        name = " ".join(words)
        end = m.start() + len(name)
        if re.match(r"\s*(?:%|percent\b|pp\b|x\b)", text[end:end + 9]) and len(words) > 1 \
                and re.fullmatch(r"\d+(?:\.\d+)?", words[-1]):
            name = " ".join(words[:-1])  # "SWE-bench Verified 75%": the number is a score, not a version
        elif len(words) > 1 and re.fullmatch(r"\d+(?:\.\d+)?[x×]", words[-1]):
            name = " ".join(words[:-1])  # "runs MoE 10x faster": a multiple, not a version
        if not re.search(r"\d", name) or name.split()[0].lower() in _NOT_NAMES:
            continue
        if re.fullmatch(r"[A-Za-z]+\s+(?:19|20)\d\d", name):  # "July 2024", "Since 2020"
            continue
        out.append((m.start(), m.start() + len(name), name))
    return out


_SIZE = re.compile(r"\s+\d+(?:\.\d+)?[BMKT]\b")


def name_cores(text: str) -> list[tuple[int, int]]:
    """Spans of model-like names to keep figures out of ("Claude 3.7 Sonnet"), cut before a size
    written after a space ("DeepSeek-V3 671B": the 671B is a figure)."""
    out = []
    for s, e, name in model_like(text):
        m = _SIZE.search(name)
        out.append((s, s + m.start() if m else e))
    return out


@dataclass
class Mention:
    """A name found in a sentence: where, which entity, and whether that entity is proposed."""

    start: int
    end: int
    iri: str
    classes: frozenset[str]
    label: str
    new: bool = False

    @property
    def is_qualifier(self) -> bool:
        return bool(self.classes & QUALIFIER_CLASSES)


@dataclass
class Choice:
    """The entity chosen for a name, with how it was chosen (for kg:decidedBy)."""

    iri: str
    label: str
    new: bool
    how: str
    classes: frozenset[str] = frozenset()


@dataclass
class ProposedEntity:
    """An entity the document names and the graph does not have: proposed for review."""

    iri: str
    label: str
    cls: str                      # local class name: Model, Benchmark, Organisation
    spellings: list[str] = field(default_factory=list)


class EntityBook:
    """One document's names: known entities by label, and the entities it proposes."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.proposed: dict[str, ProposedEntity] = {}
        self._by_key: dict[tuple[str, str], str] = {}   # (class, key) -> proposed IRI
        self._linker: _Linker | None = None

    # ------------------------------------------------------------------ deciding
    def choose(self, name: str, *, cls: str = "Model", classes: tuple[str, ...] = SUBJECT_CLASSES
               ) -> Choice:
        """The entity `name` denotes: a known one by exact or normalised label, one this document
        already proposed under another spelling, or a new proposal with the document's label."""
        match = self.resolver.resolve(name, classes=classes)
        if match.method in ("exact", "normalised") and match.iri:
            label = self.resolver.label(match.iri) or name
            how = (f"{match.method} match of {name!r}" if match.method == "exact"
                   else f"{name!r} matches the label {label!r} once normalised")
            return Choice(match.iri, label, False, how, self._classes(match.iri))
        keys = name_keys(name)
        for key in keys:
            iri = self._by_key.get((cls, key))
            if iri:
                entity = self.proposed[iri]
                if name not in entity.spellings:
                    entity.spellings.append(name)
                return Choice(iri, entity.label, True,
                              f"new entity proposed for {entity.label!r} (also spelt {name!r})",
                              frozenset({cls}))
        iri = KGE + slug(name)
        n = 2
        while self.resolver.taken(iri) or (iri in self.proposed and self.proposed[iri].cls != cls):
            iri, n = f"{KGE}{slug(name)}-{n}", n + 1
        if iri not in self.proposed:
            self.proposed[iri] = ProposedEntity(iri, name, cls, [name])
        for key in keys:
            self._by_key.setdefault((cls, key), iri)
        self._linker = None
        why = f"; nearest known: {match.note.removeprefix('nearest: ')}" if match.note else ""
        return Choice(iri, name, True, f"new entity proposed for {name!r} (not in the graph{why})",
                      frozenset({cls}))

    def known(self, name: str) -> Choice | None:
        """The entity `name` denotes if the graph or this document already has it; never proposes."""
        match = self.resolver.resolve(name, classes=SUBJECT_CLASSES)
        if match.method in ("exact", "normalised") and match.iri:
            label = self.resolver.label(match.iri) or name
            return Choice(match.iri, label, False, "", self._classes(match.iri))
        for key in name_keys(name):
            iri = self._by_key.get(("Model", key))
            if iri:
                return Choice(iri, self.proposed[iri].label, True, "", frozenset({"Model"}))
        return None

    def groups_of(self, country: str) -> list[tuple[str, frozenset[str]]]:
        """A country's groups (kg:Market with kg:country) with the word stems of their labels."""
        if self._linker is None:
            self._linker = _Linker(self.resolver, self.proposed)
        return [(iri, words) for iri, words, _ in self._linker.groups.get(country, [])]

    def classes_of(self, iri: str) -> frozenset[str]:
        """The local class names a known entity has (empty for one the graph does not know)."""
        return self._classes(iri)

    def _classes(self, iri: str) -> frozenset[str]:
        for e in self.resolver.entries:
            if e.iri == iri:
                return frozenset(c.rsplit("#", 1)[-1] for c in e.classes)
        return frozenset()

    # ------------------------------------------------------------------ finding names in text
    def mentions(self, text: str) -> list[Mention]:
        if self._linker is None:
            self._linker = _Linker(self.resolver, self.proposed)
        return self._linker.mentions(text)

    def main_subject(self, texts: list[tuple[str, int]]) -> Choice | None:
        """The entity the document is mainly about: the model-like name it uses most in headings
        and prose (headings count thrice, the first paragraph twice), known or not."""
        votes: Counter[str] = Counter()
        first: dict[str, int] = {}
        names: dict[str, str] = {}
        order = 0
        for text, weight in texts:
            spans: list[tuple[int, int, str, str]] = []
            for m in self.mentions(text):
                if m.classes & {"Model", "ModelFamily"}:
                    spans.append((m.start, m.end, m.iri, m.label))
            taken = [(s, e) for s, e, _, _ in spans]
            for s, e, name in model_like(text):
                if any(s < te and ts < e for ts, te in taken):
                    continue
                key = "name:" + name_keys(name)[0]
                spans.append((s, e, key, name))
            for _s, _e, key, label in spans:
                votes[key] += weight
                names.setdefault(key, label)
                first.setdefault(key, order)
                order += 1
        if not votes:
            return None
        best = max(votes, key=lambda k: (votes[k], -first[k]))
        if votes[best] < 3 or votes[best] < 0.3 * sum(votes.values()):
            return None  # no model dominates (a market overview): no main subject to fall back on
        if best.startswith("name:"):
            choice = self.choose(names[best])
        else:
            label = self.resolver.label(best) or names[best]
            choice = Choice(best, label, False, "", self._classes(best))
        choice.how = (f"the document's main subject: {choice.label!r}, the model it names most "
                      f"({votes[best]} weighted mentions)")
        return choice


def _fold(label: str) -> str:
    """A long name as the linker compares it: case, and hyphens against spaces, folded away
    ("DeepSeek V3.2" is "DeepSeek-V3.2")."""
    return " ".join(re.sub(r"[\s\-]+", " ", label.casefold()).split())


_WORD = re.compile(r"[A-Za-z]+")
# words that end a group's description: what follows them is another phrase
_GROUP_STOP = {"and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "the", "a", "an", "than",
               "vs", "that", "which", "who", "is", "are", "was", "were", "have", "has", "had"}


def _stem(word: str) -> str:
    """A word as group descriptions compare it: lower case, a plural "s" and all but five letters
    dropped ("hyperscalers"/"hyperscale", "volumes"/"volume", "startups"/"startup")."""
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5]


def _spaced(key: str) -> str:
    """A folded label with a space where a word meets its version number ("qwen2.5 72b" ->
    "qwen 2.5 72b"), the other way the same name is written."""
    return re.sub(r"(?<=[a-z])(?=\d)", " ", key)


class _Linker:
    """Finds known and proposed names in text: short labels case-sensitively, long ones not."""

    def __init__(self, resolver: Resolver, proposed: dict[str, ProposedEntity]) -> None:
        by_label: dict[str, set[tuple[str, frozenset[str], bool]]] = {}
        for e in resolver.entries:
            if len(e.label) >= 2 and e.iri.startswith(KGE):
                key = e.label if len(e.label) <= 3 else _fold(e.label)
                classes = frozenset(c.rsplit("#", 1)[-1] for c in e.classes)
                by_label.setdefault(key, set()).add((e.iri, classes, False))
                spaced = _spaced(key) if len(e.label) > 3 else key
                if spaced != key:  # "Qwen 2.5" is "Qwen2.5", "Llama 3" is "Llama3"
                    by_label.setdefault(spaced, set()).add((e.iri, classes, False))
        for entity in proposed.values():
            for spelling in entity.spellings:
                if len(spelling) >= 4:
                    by_label.setdefault(_fold(spelling), set()).add(
                        (entity.iri, frozenset({entity.cls}), True))
        self.label_of: dict[str, tuple[str, frozenset[str], bool]] = {}
        for label, found in by_label.items():
            if len({iri for iri, _, _ in found}) == 1:  # a label two entities share links to neither
                self.label_of[label] = next(iter(found))
        self.labels = {iri: lab for lab, (iri, _, _) in self.label_of.items()}
        ordered = sorted(self.label_of, key=len, reverse=True)
        short = [re.escape(x) for x in ordered if len(x) <= 3]
        long_ = [re.escape(x) for x in ordered if len(x) > 3]   # folded: hyphens are spaces
        # "512 H800s": a chip's name ending in a digit may take a plural "s"
        plural = r"(?:(?<=\d)s)?"
        self.long = (re.compile(r"(?<![\w])(?:" + "|".join(long_) + r")" + plural + r"(?![\w])", re.I)
                     if long_ else None)
        self.short = (re.compile(r"(?<![\w])(?:" + "|".join(short) + r")" + plural + r"(?![\w])")
                      if short else None)
        self.resolver = resolver
        # groups of a country (kg:Market with kg:country): the word stems of their labels, for a
        # description such as "Chinese startups" or "China's AI labs" (see `_group`)
        self.groups: dict[str, list[tuple[str, frozenset[str], frozenset[str]]]] = {}
        stems: dict[str, set[str]] = {}
        kinds: dict[str, frozenset[str]] = {}
        for e in resolver.entries:
            if any(c.endswith("#Market") for c in e.classes) and e.iri.startswith(KGE):
                stems.setdefault(e.iri, set()).update(_stem(w) for w in _WORD.findall(e.label))
                kinds[e.iri] = frozenset(c.rsplit("#", 1)[-1] for c in e.classes)
        for iri, words in stems.items():
            for country in resolver.linked(iri, "country"):
                self.groups.setdefault(country, []).append((iri, frozenset(words), kinds[iri]))

    def _group(self, text: str, country: Mention, found: list[Mention]) -> Mention | None:
        """A description of a country's group the graph holds as a kg:Market ("Chinese open-source
        models", "China's AI startups", "US/Western providers"): the country's name or adjective,
        then up to three words ending in a plural noun that one of the country's groups has in a
        label (the other words break ties). None when no group, or more than one, fits."""
        groups = self.groups.get(country.iri)
        if not groups:
            return None
        m = re.match(r"(?:['’]s)?((?:\s*/\s*[A-Z][\w-]*)?(?:\s+[A-Za-z][\w-]*){1,3})", text[country.end:])
        if not m:
            return None
        words = list(re.finditer(r"[A-Za-z][\w-]*", m.group(1)))
        limit = next((k for k, w in enumerate(words)
                      if w.group(0).lower() in _GROUP_STOP
                      or any(o.start < country.end + m.start(1) + w.end() and
                             country.end + m.start(1) + w.start() < o.end for o in found)), len(words))
        one = re.search(r"\b(?:a|an|one|each|every)\s+$", text[:country.start], re.I) is not None
        for k in range(limit, 0, -1):
            head = words[k - 1].group(0)
            # a group is named in the plural ("a Chinese lab called X" is one lab), or by its word
            # used as an adjective before another noun ("US hyperscale capex"), never after "a"
            # (the head is then followed by one more word of the description, which is no verb)
            attributive = not one and k == limit - 1 \
                and words[k].group(0).lower() not in _GROUP_STOP and not words[k].group(0).endswith("ed")
            if not re.search(r"[^s]s$", head) and not attributive:
                continue
            stems = [_stem(p) for w in words[:k] for p in _WORD.findall(w.group(0))]
            fits = [(sum(st in label for st in stems), iri, kinds) for iri, label, kinds in groups
                    if _stem(head.rsplit("-", 1)[-1]) in label]
            if not fits:
                continue
            fits.sort(reverse=True)
            if len(fits) > 1 and fits[0][0] == fits[1][0]:
                return None
            _, iri, kinds = fits[0]
            end = country.end + m.start(1) + words[k - 1].end()
            return Mention(country.start, end, iri, kinds, self.resolver.label(iri) or iri, False)
        return None

    def _split_overlong(self, text: str, spaced: str, found: list[Mention]) -> list[Mention]:
        """"Alibaba Qwen 2.5": an alias ("Alibaba Qwen") that ends where a version number goes on
        is cut back to the name before it ("Alibaba") when a longer name starts inside it and runs
        past it ("Qwen 2.5"): the version belongs to that name."""
        if self.long is None:
            return found
        out: list[Mention] = []
        for k, m in enumerate(found):
            nxt = found[k + 1].start if k + 1 < len(found) else len(text)
            if not re.match(r"[\s-]?\d", text[m.end:m.end + 2]):
                out.append(m)
                continue
            split = None
            for w in re.finditer(r"(?<=[\s-])\w", text[m.start:m.end]):
                at = m.start + w.start()
                inner = self.long.match(spaced, at)
                head = _fold(text[m.start:at].rstrip(" -"))
                if inner and m.end < inner.end() <= nxt and _fold(inner.group(0)) in self.label_of \
                        and head in self.label_of:
                    split = (at, inner.end(), head, _fold(inner.group(0)))
                    break
            if split is None:
                out.append(m)
                continue
            at, end, head, key = split
            cut = m.start + len(text[m.start:at].rstrip(" -"))
            for s, e, label in ((m.start, cut, head), (at, end, key)):
                iri, classes, new = self.label_of[label]
                out.append(Mention(s, e, iri, classes, self.resolver.label(iri) or text[s:e], new))
        return out

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken = [False] * len(text)
        # long names are searched in the text with hyphens as spaces (same length, same places),
        # literal patterns being far faster than a pattern per separator
        spaced = text.replace("-", " ")
        for pattern, fold in ((self.long, True), (self.short, False)):
            if pattern is None:
                continue
            for m in pattern.finditer(spaced if fold else text):
                if any(taken[m.start():m.end()]):
                    continue
                key = _fold(m.group(0)) if fold else text[m.start():m.end()]
                end = m.end()
                if key not in self.label_of and re.search(r"\ds$", key):
                    key, end = key[:-1], end - 1
                    if key not in self.label_of or not self.label_of[key][1] & {"Chip", "System"}:
                        continue
                if key not in self.label_of:
                    continue
                if fold and m.group(0)[0].islower() and key.isalpha():
                    continue  # a one-word name written in lower case is a word ("real-world", "meta")
                iri, classes, new = self.label_of[key]
                written = text[m.start():end]
                label = (self.resolver.label(iri) or written) if not new else written
                found.append(Mention(m.start(), end, iri, classes, label, new))
                for k in range(m.start(), m.end()):
                    taken[k] = True
        found.sort(key=lambda x: x.start)
        found = self._split_overlong(text, spaced, found)
        if self.groups:
            for i, mention in enumerate(found):
                if "Country" in mention.classes:
                    group = self._group(text, mention, found)
                    if group is not None:
                        found[i] = group
        return found
