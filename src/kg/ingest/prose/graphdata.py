"""Whose figure it is, by what the graph's data says about the names in the text: the model a lab
stands for (its kg:developer), the dated entity a month and a word of its label describe, the
owner a cue word after "in"/"of" names, and the product a release verb follows."""

from __future__ import annotations

import re

from kg.core.vocab import KGE, KGP
from kg.ingest.names import Choice, Mention
from kg.ingest.prose.context import NEVER_SUBJECTS, PRODUCTS, Context
from kg.ingest.prose.dates import DATE, date_value


def developer_model(org: Mention, ctx: Context) -> Mention | Choice | None:
    """The model an organisation stands for when a figure is a model's ("DeepSeek charges $0.43
    per million tokens"): the model by that developer the text last named, else the document's
    main subject when the organisation developed it; None when the graph links it to neither."""
    if org.iri in ctx.by_developer:
        return ctx.by_developer[org.iri]
    if ctx.main is not None and org.iri in ctx.book.resolver.linked(ctx.main.iri, "developer"):
        return ctx.main
    return None


def not_its_own(org: Mention, product: Mention, ctx: Context) -> bool:
    """True when the graph names the product's developer (kg:developer) and it is neither the
    organisation nor its parent or child (kg:parentOrganisation): "Uber's engineers use Claude"
    is not about a model of Uber's."""
    developers = ctx.book.resolver.linked(product.iri, "developer")
    if not developers:
        return False
    family = {org.iri} | ctx.book.resolver.linked(org.iri, "parentOrganisation")
    for dev in developers:
        if dev in family or org.iri in ctx.book.resolver.linked(dev, "parentOrganisation"):
            return False
    return True


DATED_REACH = 80  # characters: how far from the date a word of the entity's label may stand
_LABEL_WORD = re.compile(r"[A-Za-z]{4,}")


def _stem(word: str) -> str:
    word = word.lower()
    return (word[:-1] if word.endswith("s") and not word.endswith("ss") else word)[:6]


def dated_entity(sentence: str, start: int, end: int, ctx: Context) -> Choice | None:
    """The entity a date names by description ("export controls starting October 2022", "the
    October 2022 export restrictions"): one whose label holds that month and year and another of
    its label's words (a kind word, "export", "controls"), written near the date in the sentence.
    The labels are the graph's data: a rule, ban or decision with its month in a label is found
    however the text spells the month. None when no entity, or more than one, fits."""
    if ctx.dated is None:
        ctx.dated = {}
        for e in ctx.book.resolver.entries:
            if not e.iri.startswith(KGE):
                continue
            month = date_value(e.label) if DATE.search(e.label) else None
            years = set(re.findall(r"\b(?:19|20)\d\d\b", e.label))
            words = {_stem(w) for w in _LABEL_WORD.findall(DATE.sub(" ", e.label))} - {"united", "state"}
            # by month ("2022-10") for a date with a month, by year for a bare year ("the 2022 rule")
            for key in ({month[:7]} if month else set()) | years:
                ctx.dated.setdefault(key, []).append(
                    (e.iri, ctx.book.resolver.label(e.iri) or e.label, frozenset(words)))
    text = sentence[start:end].strip()
    month = text if re.fullmatch(r"(?:19|20)\d\d", text) else date_value(text)
    if month is None or month[:7] not in ctx.dated:
        return None
    near = sentence[max(0, start - DATED_REACH):end + DATED_REACH]
    stems = {_stem(w) for w in _LABEL_WORD.findall(near)}
    known: dict[str, tuple[set[str], str]] = {}   # each entity's words, over all its dated labels
    for iri, label, label_words in ctx.dated[month[:7]]:
        known.setdefault(iri, (set(), label))[0].update(label_words)
    fits = {iri: (len(words & stems), label) for iri, (words, label) in known.items() if words & stems}
    if not fits:
        return None
    ranked = sorted(fits.items(), key=lambda x: -x[1][0])
    if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
        return None
    iri, (_, label) = ranked[0]
    return Choice(iri, label, False, "", ctx.book.classes_of(iri))


def cued_owner(sentence: str, end: int, prop: str, mentions: list[Mention], ctx: Context
               ) -> Mention | None:
    """"up to $100 billion in X investment", "30% of X's revenue": a name right after the figure
    ("in", "of", "from") followed by a cue word of the figure's own property is whose figure it is."""
    for m in mentions:
        if m.start < end or m.is_qualifier or m.classes & NEVER_SUBJECTS:
            continue
        if not re.fullmatch(r"\s+(?:in|of|from)\s+(?:the\s+)?", sentence[end:m.start]):
            return None
        head = sentence[m.end:m.end + 24]
        words = ctx.vocab.get(prop)
        if any(s <= 3 and cue.node == words.iri for s, _e, cue in ctx.vocab.cues_in(head)):
            return m
        return None
    return None


RELEASE_GAP = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,2}?(?P<verb>[a-z][\w-]*)\s+(?:(?:in|on|by|from|since)\s+)?"
                         r"(?:(?:the|early|mid|late)[\s-]+)?$")


def release_verb_of(sentence: str, start: int, mentions: list[Mention], ctx: Context) -> Mention | None:
    """"the X platform arriving later this year", "X chips shipping in March": a release verb
    (a `kg:cue` of the release date) right before the date, right after a product's name (a
    noun of it between), says whose release the date is."""
    for m in reversed(mentions):
        if m.end > start or not m.classes & PRODUCTS or m.classes & NEVER_SUBJECTS:
            continue
        gap = RELEASE_GAP.fullmatch(sentence[m.end:start])
        if gap is None:
            return None
        verb = gap.group("verb")
        if any(cue.node == KGP + "releaseDate" and s == 0 and e == len(verb)
               for s, e, cue in ctx.vocab.cues_in(verb)):
            return m
        return None
    return None


INTRODUCING = re.compile(r"\b(?:propos|introduc|invent|pioneer|unveil)\w*\s+(?:the\s+|a\s+|an\s+)?$", re.I)
INTRODUCED_IT = re.compile(r"\b(?:propos|introduc|invent|pioneer|unveil)\w*\s+it\b", re.I)


def introduced_technique(sentence: str, start: int, mentions: list[Mention], ctx: Context
                         ) -> Mention | None:
    """"a paper proposed FP8 training, reducing memory by 39%", "the lab introduced it in 2024,
    cutting the cache by 93%", "with FP8 doubling the speed": the technique right before the figure
    (an adverb between), or the one a verb of introducing takes as its object before
    the figure (or "it", the one technique the previous sentence named) is what the figure is an
    effect of; not when a model introduces it ("Model X introduced sparse attention, cutting cost
    60%": the model's figure)."""
    for m in reversed(mentions):
        if m.end <= start and "Technique" in m.classes \
                and re.match(r"(?:[a-z]+ly\s+)?\w+ing\b", sentence[start:]) \
                and re.fullmatch(r"\s+(?:[a-z]+ly\s+)?", sentence[m.end:start]):
            return m  # "with FP8 theoretically doubling the speed": the technique acts (a verb)
        if m.end <= start and "Technique" in m.classes \
                and INTRODUCING.search(sentence[max(0, m.start - 40):m.start]):
            if any(o.end <= m.start and o.classes & {"Model", "ModelFamily"} for o in mentions):
                return None
            return m
    if ctx.recent_technique is not None and INTRODUCED_IT.search(sentence[:start]):
        return ctx.recent_technique
    return None


def remember_technique(mentions: list[Mention], ctx: Context) -> None:
    """The one technique a sentence names (None when it names none or several), for "it"."""
    found = {m.iri: m for m in mentions if "Technique" in m.classes}
    ctx.recent_technique = next(iter(found.values())) if len(found) == 1 else None


def rival_group(rival: Mention, mentions: list[Mention], ctx: Context) -> Mention | None:
    """"China's AI startups raised $12B, compared to $285B in the US": a country a comparison
    names as the rival of a country's group (kg:Market) stands for its own group of the same kind
    (the one whose label shares the most words with the first group's); None when it has none."""
    if "Country" not in rival.classes:
        return None
    own = next((m for m in mentions if "Market" in m.classes and m.start < rival.start
                and rival.iri not in ctx.book.resolver.linked(m.iri, "country")), None)
    if own is None:
        return None
    words = next((w for country in ctx.book.resolver.linked(own.iri, "country")
                  for iri, w in ctx.book.groups_of(country) if iri == own.iri), frozenset())
    fits = sorted(((len(w & words), iri) for iri, w in ctx.book.groups_of(rival.iri) if w & words),
                  reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    iri = fits[0][1]
    label = ctx.book.resolver.label(iri) or iri
    return Mention(rival.start, rival.end, iri, ctx.book.classes_of(iri), label, False)


# "X's 7B distilled variant, which has been pulled 85 million times": a relative clause's figure
RELATIVE_CLAUSE = re.compile(r"(?:['’]s\s+(?:(?P<size>\d+(?:\.\d+)?[BT])\s+)?(?:[a-z][\w-]*\s+){0,2}"
                             r"(?:[a-z][\w-]*))?,\s+which\s+[^,;()]{0,60}")


def relative_owner(sentence: str, start: int, mentions: list[Mention], ctx: Context) -> Choice | None:
    """The name a figure's relative clause ("..., which has been pulled 85 million times") is
    about: the name right before ", which" (or the sized model its possessive names, "X's 7B
    variant, which ...": the model the graph knows as "X 7B")."""
    for m in reversed(mentions):
        if m.end > start:
            continue
        found = RELATIVE_CLAUSE.fullmatch(sentence[m.end:start])
        if found is None or m.classes & NEVER_SUBJECTS:
            return None
        if found.group("size"):
            sized = ctx.book.known(f"{m.label} {found.group('size')}")
            if sized is not None:
                return sized
        return Choice(m.iri, m.label, m.new, "", m.classes)
    return None
