"""Figures in prose: each number or date in a sentence, with its subject, property, hedge and line.

How each is decided (and recorded in the proposal's `decided_by`, so a reviewer can see why):

- **Figure**: general patterns (currency, magnitude words, units, percentages, ratios, ranges,
  bounds) read by kg.core.quantity; numbers inside names (known, proposed or model-like) are masked
  first, so "Llama 3.1" and "Qwen2.5-72B" are never figures.
- **Rate or total**: a figure followed by a rate phrase ("$2 per GPU-hour", "$0.27 per million
  tokens") takes the property whose `kg:rateCue` it is, never a total's; a rate no property claims
  is proposed as `kgp:other` naming the rate.
- **Property**: the cue word (`kg:cue`, from the ontology) nearest the figure within its own part
  of the sentence (a cue past another figure belongs to that figure: "activates 22B of its 235B
  parameters"), among properties whose dimension fits the unit the text gives; a cue after the
  figure counts slightly more than one before it, unless the one right before narrows it
  ("activating 32B parameters"). No cue: the dimension's fallback property; a number written in
  words with no cue is not proposed.
- **Subject**: a name attached to the figure ("Llama 3.1's 30.84M", "H100 (TDP of 700W)",
  "Kimi K2 1T"), else the entity the sentence is about (its first name that is not the object of
  a comparison, "than X", "like X and Y", nor the source that reports the figure, "X estimated",
  "according to X", nor a country named by its adjective; a model named after its organisation,
  "Alibaba released its Qwen2.5 model", rather than the organisation), else the discourse
  subject: the one the previous sentences, paragraphs (in a document without a dominant model)
  and the section's heading were about, which also wins over a name that only follows the figure
  (its object); else the document's main subject or the model its headline names. Chips and
  benchmarks named in the sentence become qualifiers, or the subject of a chip's own figures.
- **Reductions, pairs, conversions** (ontology data again): a verb of reducing (`kg:reductionCue`)
  that governs the figure turns a share's cue into its reduction ("reducing memory use by 39%":
  `kgp:memoryShare kg:reducedAs kgp:memoryReduction`; "reduced *to* 5%" stays a share); in a pair
  "1T/32B active" or "2T total, 288B active" the larger figure is the whole of the part the other
  is (`kgp:activeParameters kg:totalCounterpart kgp:totalParameters`); "$0.14/$0.28" is a pair of
  prices; "RMB 60 billion ($8 billion)" is one amount in two currencies. A cue that only a
  preposition separates from the next figure introduces that one ("FLOPs to 27% and KV cache to
  10%"), a cue right after the previous figure is that one's ("10x faster at 1/10th the cost"), a
  cue across a semicolon is another clause's, and a figure in a parenthesis with no cue of its own
  takes the cue of the words the parenthesis details.
- **Whose figure** (besides the above): two names joined before the figure ("X and Y each ordered
  230,000", "X/Y reach 90%") share it; a figure right before a model's name modifies it ("a 5GB X
  model"); a size in billions or trillions beside a model's name is its parameter count; a
  technique that acts ("MLA compresses the cache by 93%") is the subject of its effect; the rival a
  sentence compares is never the owner; a cluster (kg:System) owns its GPU count; the object of a
  release verb owns the release date; "the model", "it" is the model the text last made its
  subject (or the model its organisation subject released), and an organisation carried over a
  sentence stands for that model when the figure is a model's; properties an organisation has
  (`kg:typicalSubject kg:Organisation`: headcount, funding, margins) keep the organisation.
- **Dates**: a release cue makes a kgp:releaseDate, a report or publication cue an announcement
  date, a cut-off an event date; the document's own date is not a claim; any other date is
  proposed as an event date marked unclassified, unless the sentence is about a model (its release).
  A cue after the date counts within the date's clause only ("released X on May 6, under an open
  licence"); "arXiv" beside a date makes it a publication.
- **Hedge**: the hedge cue (`kg:cue` on each kg:Hedge) nearest the figure in its sentence.
- **What the graph's data resolves** (queries/entity-links.rq, labels): a lab that is the
  sentence's subject stands for its model (`kg:developer`) when the figure is a model's ("the lab
  charges $0.43 per million tokens"); a country's name or adjective followed by a plural noun one
  of its `kg:Market` groups has in a label is that group ("China's startups"); a date near a word
  of a dated entity's label, by month or year, is that entity's ("the export controls of October
  2022"). A name's version written apart ("Qwen 2.5") links, and a model's first word written
  again later in the sentence ("Llama's") refers to it.
- **Clauses and phrases**: a figure or date in the phrase that opens a sentence belongs to the
  main clause; one in an apposition ("X – one of the largest funds, managing $8 billion") or a
  participle ("the H100, released in 2022") to the name before it; one a comparison introduces
  ("compared with 3,000 at X", "vs X's 16%") to the rival, measuring what the figure it is
  compared with does, in its unit; one joined in the same unit with no cue ("..., and 9 months")
  is read in parallel. Names given as examples ("e.g.") are not what a sentence is about; list
  items are about the section's heading, not the previous item.
- **Dates and numbers in words**: with the document's date known, a month without a year takes
  the latest such month not after it; a bare year after "in"/"since" is a date only when a date
  cue says what happened; orders and multiples in words ("hundreds of millions of dollars",
  "doubling") need a cue; a small plain number nothing explains, an arXiv identifier and a span of
  years are not proposed.

- **Siblings, heads and qualifiers** (ontology data): a property that `kg:narrows` another is
  chosen when one of its `kg:clauseCue` words stands in the figure's clause ("the stock of compute
  runs two years behind": a compute lag); a `kg:headCue` names a figure's property only right after
  it ("10-20% compute"); a figure of a `kg:asCondition` property after "at" ("at 1M context", "at
  $2/GPU-hr") is written into the condition of the figure it qualifies, not proposed; a multiple is
  never a percentage cut (the ratio whose `kg:reducedAs` the cut is).
- **Times and lists**: "last year", "later this year", "this month" are dated by the document when
  a cue says what happened; a date nothing classifies is proposed only after "by"/"until"; a year
  opening a timeline entry ("(2023: ...)") is a date; a reference entry's date is the cited work's
  publication; footnote numbers ("programmes.4"), "per N" bases and version lists ("2.5/3") are no
  figures.
- **More owners**: a technique a verb of introducing takes ("proposed X, cutting ...", "introduced
  it") owns its effect; a product the graph says another organisation develops is not the
  subject's; names in an "(e.g., ...)" parenthesis are examples; a sentence opening with "These"
  or "It" keeps the discourse subject (two joined variants of one model being that model); a
  country compared with a group stands for its own group; a figure in a relative clause (", which
  ...") is the name's before it.

The rules live in one module each: context (what a sentence is read with), figures (the figure
patterns and masking), dates, properties (cue words), subjects, attached (names the grammar
attaches a figure to), graphdata (owners the graph's
data resolves: a lab's model, a dated rule, a released product), pairs (figures read together) and
sentence (the driver).
"""

from __future__ import annotations

from kg.ingest.prose.attached import COMPARISON
from kg.ingest.prose.context import Context
from kg.ingest.prose.dates import date_value
from kg.ingest.prose.figures import evidence_phrase, figure_spans, looks_like_heading, read_figure
from kg.ingest.prose.sentence import extract_block
from kg.ingest.prose.subjects import heading_subject

__all__ = ["COMPARISON", "Context", "date_value", "evidence_phrase", "extract_block", "figure_spans",
           "heading_subject", "looks_like_heading", "read_figure"]
