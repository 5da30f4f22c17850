"""Whose figure it is: a name attached to the figure by the grammar around it, else the entity the
sentence is about, else the discourse subject carried from before, else the document's main
subject; also the heading's subject and the model "the model" or "it" refers to."""

from __future__ import annotations

import re

from kg.core.vocab import KG, KGP
from kg.ingest.names import Choice, Mention
from kg.ingest.prose.attached import COMPARED_FIGURE, COMPARISON, DEMONYM, attached_name
from kg.ingest.prose.context import NEVER_SUBJECTS, ORGANISATION, PRODUCTS, Context
from kg.ingest.prose.graphdata import (
    cued_owner,
    dated_entity,
    developer_model,
    introduced_technique,
    not_its_own,
    relative_owner,
    release_verb_of,
    rival_group,
)


def remember_model(sentence: str, mentions: list[Mention], subject: Mention, ctx: Context) -> None:
    """Keep the model a sentence is about (its subject, or the model its organisation subject
    releases) as the referent of a later "the model"."""
    if subject.classes & {"Model", "ModelFamily"}:
        ctx.recent_model = subject
    elif ORGANISATION in subject.classes:
        product = product_of(sentence, mentions, subject)
        if product is not None:
            ctx.recent_model = product


def remember_developers(mentions: list[Mention], ctx: Context) -> None:
    """Note each model a sentence names under its developer (kg:developer in the graph), so a
    later sentence whose subject is the lab can stand for the lab's model."""
    for m in mentions:
        if m.classes & {"Model", "ModelFamily"}:
            for lab in ctx.book.resolver.linked(m.iri, "developer"):
                ctx.by_developer[lab] = m


def heading_subject(text: str, ctx: Context) -> Mention | None:
    """The entity a heading names as its topic (its first name that could be a subject and is not
    compared with another), the discourse subject of the section under it (a new section forgets
    the model the one before was about)."""
    mentions = ctx.book.mentions(text)
    subject = sentence_subject(text, mentions, None)
    ctx.recent_model = None
    if subject is not None:
        remember_model(text, mentions, subject, ctx)
        if ORGANISATION in subject.classes and ctx.recent_model is not None:
            return ctx.recent_model  # "Lab X's Model Y: what it changes": the section is about Y
    return subject


# "an analyst firm estimated that ...", "according to Epoch AI": the source of a figure, not its subject
REPORTING = re.compile(r"^\s+(?:(?:has|have|had|also|later)\s+)?(?:estimat|report|said|says|say\b|found|"
                       r"finds|note[sd]?\b|wrote|writes|claim|argu|believ|expect|predict|forecast|"
                       r"calculat|analy[sz]|told|tells|cit(?:es|ed)\b|put[s]?\s+(?:it|the)|pegs|puts)",
                       re.I)
ACCORDING = re.compile(r"(?:according\s+to|per|via|source:|data\s+from|analysis\s+by)\W*(?:\w+\W+){0,1}$",
                       re.I)


def can_be_subject(m: Mention, typical: str | None) -> bool:
    if m.is_qualifier or m.classes & NEVER_SUBJECTS:
        return False
    return typical != KG + "Model" or bool(m.classes & {"Model", "ModelFamily"})


# "MLA compresses the cache by 93%", "FP4 reportedly can cut ...": a technique that acts
ACTOR = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:can|could|will|may)\s+[a-z]+|[a-z]+(?<!ss)s|means)\b")


def sentence_subject(sentence: str, mentions: list[Mention], typical: str | None, *,
                      chips: bool | frozenset[str] = False, actors: bool = False,
                      figure: int | None = None) -> Mention | None:
    """The entity a sentence is about: its first name that is not the object of a comparison
    ("than X", "like X and Y": a name listed after a compared one is compared too) nor the source
    that reports the figure ("X estimated that", "according to X"; used only when the sentence
    names nothing else). `chips`: a chip or system may be the subject (its own figures); a set of
    classes: only those (a GPU count is a cluster's, never the chip's that counts it)."""
    compared: set[int] = set()
    for k, m in enumerate(mentions):
        listed = k - 1 in compared and re.fullmatch(r"\s*(?:,|/|and|or|,\s*and|,\s*or)\s*",
                                                    sentence[mentions[k - 1].end:m.start])
        example = in_examples(sentence, m.start, figure)
        if example is None:
            continue  # an example given with the figure itself
        if listed or example or COMPARISON.search(sentence[max(0, m.start - 40):m.start]):
            compared.add(k)
    sources: list[Mention] = []
    for k, m in enumerate(mentions):
        if actors and k == 0 and "Technique" in m.classes and ACTOR.match(sentence[m.end:m.end + 40]):
            return m  # the sentence's first name, acting: the figure is its effect
        if not (can_be_subject(m, typical) or (chips and _chip_subject(m, chips))):
            continue
        if k in compared:
            continue
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and re.fullmatch(r"['’]s\s+", sentence[m.end:nxt.start]) \
                and can_be_subject(nxt, typical):
            continue  # "Moonshot's Kimi K2": the possessor is not what the sentence is about
        if REPORTING.match(sentence[m.end:m.end + 40]) \
                or ACCORDING.search(sentence[max(0, m.start - 30):m.start]) \
                or ("Country" in m.classes and DEMONYM.search(sentence[m.start:m.end])):
            sources.append(m)  # ("a Chinese lab named X": the adjective describes, X is the subject)
            continue
        return m
    return sources[0] if sources else None


EXAMPLES = re.compile(r"\b(?:e\.g\.|eg\.|such\s+as|including|for\s+example|for\s+instance)", re.I)


def in_examples(sentence: str, at: int, figure: int | None = None) -> bool | None:
    """True when `at` is inside a parenthesis that gives examples ("(e.g., X 1T, Y 35B)"): every
    name in it is an example, not what the sentence is about; None when the `figure` is in that
    parenthesis too ("(e.g., X for $0.2/M)": the example is what it is about); else False."""
    depth, k = 0, at - 1
    while k >= 0:
        if sentence[k] == ")":
            depth += 1
        elif sentence[k] == "(":
            if depth == 0:
                if not EXAMPLES.search(sentence[k:at]):
                    return False
                close = sentence.find(")", at)
                inside = figure is not None and k < figure < (close if close >= 0 else len(sentence))
                return None if inside else True
            depth -= 1
        k -= 1
    return False


def _chip_subject(m: Mention, classes: bool | frozenset[str] = True) -> bool:
    allowed = classes if isinstance(classes, frozenset) else {"Chip", "System"}
    return bool(m.classes & allowed) and not m.classes & NEVER_SUBJECTS


# "At prices of $0.30 per million tokens, X is ...": a figure in the phrase that opens the sentence,
# before its first comma, is about the main clause's subject named right after that comma
OPENING_PHRASE = re.compile(r"\W*(?:at|with|for|by|under|despite|after|on|in)\s+[^,;]*", re.I)


# "validated on", "running on", "trained using": a chip named after these is where something ran
PLATFORM = re.compile(r"\b(?:on|using|atop|across)\s+(?:[A-Z][\w-]*\s+){0,2}$")
SIZE_AFTER_NAME = re.compile(r"[~≈]?\d+(?:\.\d+)?\s?[BT]")


def figure_subject(sentence: str, start: int, end: int, stated: str, prop: str, mentions: list[Mention],
             carried: Mention | None, ctx: Context
             ) -> tuple[Choice | None, str | None, str | None, str]:
    chip = next((m.iri for m in mentions if m.classes & {"Chip", "System"}), None)
    benchmark = next((m.iri for m in mentions if "Benchmark" in m.classes), None)
    typical = ctx.vocab.get(prop).typical_subject
    if ctx.vocab.get(prop).dimension == "DateValue" and prop != KGP + "releaseDate":
        dated = dated_entity(sentence, start, end, ctx)
        if dated is not None:
            return dated, chip, benchmark, (f"a date described with words of {dated.label!r}, whose "
                                            "label holds that date")
    if prop == KGP + "releaseDate":
        verb_of = release_verb_of(sentence, start, mentions, ctx)
        if verb_of is not None:
            return choice_of(verb_of), chip, benchmark, (f"{verb_of.label!r}, the product the release "
                                                         "verb before the date follows")
    # a ratio a cue word named (an effect: a speed-up, a reduction), not one no cue decided
    ratio = ctx.vocab.get(prop).dimension == "Ratio" and prop != KGP + "other"
    attached = attached_name(sentence, start, end, mentions) or cued_owner(sentence, end, prop, mentions, ctx)
    if attached is not None and COMPARED_FIGURE.search(sentence[:start]):
        attached = rival_group(attached, mentions, ctx) or attached  # "... compared to $285B in the US"
    if attached is not None and "Benchmark" in attached.classes:
        benchmark, attached = attached.iri, None  # "MMLU (86.1%)": the benchmark, not the subject
    if attached is not None and "Chip" in attached.classes \
            and prop in (KGP + "gpuCount", KGP + "trainingGpuHours"):
        chip, attached = attached.iri, None  # "A100 stockpiles (10K+)": the chip counted, not the owner
    if attached is not None and attached.classes & {"Chip", "System"} and attached.start < start \
            and ratio and PLATFORM.search(sentence[:attached.start]):
        chip, attached = attached.iri, None  # "X validated on Y chips (1.5x speedup)": where it ran
    if attached is None and typical is None and ctx.vocab.get(prop).dimension == "Money":
        chip_after = next((m for m in mentions if m.start >= end), None)
        if chip_after is not None and chip_after.classes & {"Chip", "System"} \
                and re.fullmatch(r"\s+", sentence[end:chip_after.start]):
            return choice_of(chip_after), None, benchmark, \
                f"named right after the amount it qualifies ({chip_after.label!r}: '$N X cases')"
    owner = relative_owner(sentence, start, mentions, ctx) if attached is None else None
    if owner is not None:
        return owner, chip, benchmark, (f"the name the figure's relative clause ('which ...') is about "
                                        f"({owner.label!r})")
    if attached is not None and (not attached.is_qualifier or typical != KG + "Model") \
            and not attached.classes & NEVER_SUBJECTS:
        return sized(choice_of(attached), stated, prop, ctx), None if attached.iri == chip else chip, \
            benchmark, f"named right beside the figure ({attached.label!r})"
    technique = introduced_technique(sentence, start, mentions, ctx) if typical is None and ratio else None
    if technique is not None:
        return choice_of(technique), chip, benchmark, (f"{technique.label!r}, the technique the "
                                                       "sentence introduces: the figure is its effect")
    chips: bool | frozenset[str] = typical != KG + "Model" and prop != KGP + "trainingGpuHours"
    if prop == KGP + "gpuCount":  # "Fire-Flyer 2, equipped with 10,000 A100s": the cluster's count
        chips = frozenset({"System"})
    subject_mention = sentence_subject(sentence, mentions, typical, chips=chips,
                                        actors=typical not in (KG + "Model", KG + ORGANISATION),
                                        figure=start)
    if subject_mention is None and typical == KG + "Model":
        org = sentence_subject(sentence, mentions, None)
        model = developer_model(org, ctx) if org is not None and ORGANISATION in org.classes \
            and org.start < start else None
        if model is not None and org is not None:
            chosen = model if isinstance(model, Choice) else choice_of(model)
            return sized(chosen, stated, prop, ctx), chip, benchmark, \
                (f"{chosen.label!r}, the model of the sentence's subject ({org.label!r}, its "
                 "developer) the text last named")
        if org is not None and "Market" in org.classes and org.start < start:
            # "Chinese labs favour sparse models (10-30B active)": a model's figure whose sentence
            # is about a group of labs or models, and names no model of its own, is the group's
            return choice_of(org), chip, benchmark, (f"named as the sentence's subject ({org.label!r}, "
                                                     "a group), which names no model of its own")
    if carried is not None and ORGANISATION in carried.classes and typical != KG + ORGANISATION \
            and ctx.recent_model is not None:
        carried = ctx.recent_model  # "The lab released X ... It cut costs by 40%": X's figure
    release = prop in (KGP + "releaseDate", KGP + "releaseInterval")  # what a release verb takes
    released = release and subject_mention is not None and (
        bool(subject_mention.classes & PRODUCTS)  # "on May 6 the lab released X": X's date
        or (ORGANISATION in subject_mention.classes
            and product_of(sentence, mentions, subject_mention, chips=True, ctx=ctx, figure=end) is not None))
    opening = subject_mention is not None and subject_mention.start >= end \
        and OPENING_PHRASE.fullmatch(sentence[:start]) is not None \
        and re.fullmatch(r"[^,;]*,\s*(?:[\w-]+\s+){0,2}", sentence[end:subject_mention.start]) is not None
    if subject_mention is not None and subject_mention.start >= end and carried is not None \
            and can_be_subject(carried, typical) and not released and not opening:
        # "... 81% like GPT-5": a name only after the figure is its object; the subject is the
        # one the text was already about
        return sized(choice_of(carried), stated, prop, ctx), chip, benchmark, \
            (f"carried from the previous sentence ({carried.label!r}); "
             f"{subject_mention.label!r} is named only after the figure")
    partner = joined_partner(sentence, mentions, subject_mention, typical, end)
    if subject_mention is not None and partner is not None:
        return choice_of(subject_mention), chip, benchmark, \
            (f"named as the sentence's subject ({subject_mention.label!r}), jointly with "
             f"{partner.label!r}")
    if subject_mention is not None and ORGANISATION in subject_mention.classes \
            and typical != KG + ORGANISATION:
        product = product_of(sentence, mentions, subject_mention, chips=release, ctx=ctx, figure=end)
        partner = joined_partner(sentence, mentions, product, typical, end)
        if product is not None and partner is not None:  # "the lab released X (...) and Y (...) on May 6"
            return choice_of(product), chip, benchmark, \
                (f"{product.label!r}, the model the sentence's subject ({subject_mention.label!r}) "
                 f"releases or serves, jointly with {partner.label!r}")
        if product is not None:
            return sized(choice_of(product), stated, prop, ctx), chip, benchmark, \
                (f"{product.label!r}, the model the sentence's subject "
                 f"({subject_mention.label!r}) releases or serves")
    if subject_mention is not None:
        return sized(choice_of(subject_mention), stated, prop, ctx), chip, benchmark, \
            f"named as the sentence's subject ({subject_mention.label!r})"
    if carried is not None and can_be_subject(carried, typical):
        return sized(choice_of(carried), stated, prop, ctx), chip, benchmark, \
            f"carried from the previous sentence ({carried.label!r})"
    if typical != KG + "Model" and chip is not None and prop not in (
            KGP + "trainingGpuHours", KGP + "gpuCount"):
        m = next(m for m in mentions if m.iri == chip)
        return choice_of(m), None, benchmark, f"the chip the sentence names ({m.label!r})"
    if typical == KG + "Model" and ctx.recent_model is not None:
        m = ctx.recent_model
        return sized(choice_of(m), stated, prop, ctx), chip, benchmark, \
            f"the model the text was last about ({m.label!r}): 'the model', 'it'"
    if ctx.main is not None:
        return sized(ctx.main, stated, prop, ctx), chip, benchmark, \
            ctx.main.how or "the document's main subject"
    return None, chip, benchmark, "no subject"


# "X/Y", "X and Y", "X (1T total) and Y (284B total)": each name may carry its own parenthesis
JOINED = re.compile(r"\s*(?:\([^()]{0,80}\)\s*)?(?:/|&|and|,\s*and)\s*", re.I)
JOINED_AFTER = re.compile(r"(?:\s*\([^()]{0,80}\))?\s+(?:each|both|all)?\s*[a-z]")


def joined_partner(sentence: str, mentions: list[Mention], subject: Mention | None, typical: str | None,
            end: int) -> Mention | None:
    """"X/Y achieve 90%", "X and Y each ordered 230,000": a second name joined to the sentence's
    subject before the figure shares the figure (one proposal each)."""
    if subject is None or subject.start >= end:
        return None
    aside = re.match(r"\s*\([^()]{0,80}\)", sentence[subject.end:])   # names inside it are not joined
    past = subject.end + (aside.end() if aside else 0)
    other = next((m for m in mentions if m.start >= past), None)
    if other is None:
        return None
    if other.end > end or other.iri == subject.iri or not JOINED.fullmatch(sentence[subject.end:other.start]):
        return None
    if not can_be_subject(other, typical) or not JOINED_AFTER.match(sentence[other.end:other.end + 100]):
        return None  # "X and Y's 30%": a possessive or a name list, not a joint subject
    return other


def product_of(sentence: str, mentions: list[Mention], org: Mention, *, chips: bool = False,
               ctx: Context | None = None, figure: int | None = None) -> Mention | None:
    """"Alibaba sells its Qwen2.5-72B model at $0.40", "On May 6 DeepSeek released V2": a model named after
    the organisation, not compared with anything, is what the figure is about (unless the property
    is an organisation's: funding, headcount, margin). `chips`: a chip or system counts too (a
    release date: "the vendor's latest, the X, launched in March"). With `ctx` and the `figure`'s
    position, a product named after the figure that the graph says another organisation develops
    is not this one's ("X ran out of budget by April, its engineers using Claude")."""
    kinds = PRODUCTS if chips else {"Model", "ModelFamily"}
    for m in mentions:
        if m.start <= org.start or not m.classes & kinds:
            continue
        if COMPARISON.search(sentence[max(0, m.start - 40):m.start]):
            continue
        if ctx is not None and figure is not None and m.start > figure and not_its_own(org, m, ctx):
            continue
        return m
    return None


def sized(choice: Choice, stated: str, prop: str, ctx: Context) -> Choice:
    """"Llama 3.1 ... in 8B, 70B and 405B sizes": a parameter count on a family whose sized model
    the graph or the document names ("Llama 3.1 8B") belongs to that model."""
    if prop != KGP + "totalParameters" or not re.fullmatch(r"\d+(?:\.\d+)?[BMK]", stated):
        return choice
    name = f"{choice.label} {stated}"
    match = ctx.book.known(name)
    if match is None:
        return choice
    match.how = f"{choice.label!r} with the size {stated!r} names {match.label!r}"
    return match


def choice_of(m: Mention) -> Choice:
    return Choice(m.iri, m.label, m.new, "", m.classes)
