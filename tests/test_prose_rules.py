"""Prose rules that read the graph's own data to decide whose figure it is: a lab standing for its
model (kg:developer), a country's group described in words (kg:Market with kg:country), a rule
named by its month (a label holding the date), and a figure a comparison introduces. Every
sentence here is written for the test, none copied from a corpus document."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.vocab import KGE, KGP
from kg.ingest.cues import Vocabulary
from kg.ingest.extract import extract_file
from kg.ingest.resolve import Resolver


@pytest.fixture(scope="module")
def resolver(shipped):
    return Resolver.from_store(shipped.store)


@pytest.fixture(scope="module")
def vocab(shipped):
    return Vocabulary.from_store(shipped.store)


def proposals(tmp_path: Path, text: str, resolver, vocab) -> list:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path, resolver, vocab=vocab).proposals


def found(tmp_path: Path, text: str, resolver, vocab) -> dict:
    return {p.stated: p for p in proposals(tmp_path, text, resolver, vocab)}


def test_the_resolver_reads_developers_and_countries(resolver):
    assert KGE + "deepseek" in resolver.linked(KGE + "deepseek-v3", "developer")
    assert KGE + "china" in resolver.linked(KGE + "chinese-labs", "country")
    assert resolver.linked(KGE + "no-such-entity", "developer") == set()


def test_a_lab_stands_for_its_model_the_text_last_named(resolver, vocab, tmp_path):
    got = found(tmp_path, "We spent a week testing DeepSeek-V3 on our own workloads.\n"
                          "Through its API DeepSeek bills $0.30 per million input tokens.\n"
                          "Separately, DeepSeek raised $1 billion from investors.\n", resolver, vocab)
    price = got["$0.30"]
    assert (price.subject, price.property) == (KGE + "deepseek-v3", KGP + "apiPrice")
    assert "its developer" in price.decided_by
    # an organisation's own figure (funding: kg:typicalSubject kg:Organisation) stays the lab's
    assert got["$1 billion"].subject == KGE + "deepseek"


def test_a_country_group_described_in_words_is_the_graphs_market(resolver, vocab, tmp_path):
    got = found(tmp_path, "Last year China's startups raised $9 billion in total.\n"
                          "American hyperscalers plan to spend $500 billion on capex.\n"
                          "A Chinese lab called DeepSeek raised $1 billion.\n", resolver, vocab)
    assert got["$9 billion"].subject == KGE + "chinese-ai-startups"
    assert got["$500 billion"].subject == KGE + "us-hyperscalers"
    # one lab, in the singular, is not the group of labs
    assert got["$1 billion"].subject == KGE + "deepseek"


def test_a_rule_named_by_its_month_and_a_word_of_its_label(resolver, vocab, tmp_path):
    got = proposals(tmp_path, "Sales stopped once the export controls of October 2022 took effect.\n"
                              "Nothing else happened in October 2022 worth noting.\n", resolver, vocab)
    rule = next(p for p in got if p.line == 1 and p.stated == "October 2022")
    assert (rule.subject, rule.property) == (KGE + "us-export-rule-2022-10", KGP + "effectiveDate")
    # the month alone, without a word of the rule's label near it, names no rule
    assert all(p.subject != KGE + "us-export-rule-2022-10" for p in got if p.line == 2)


def test_a_figure_a_comparison_introduces_is_the_rivals_and_measures_the_same(resolver, vocab, tmp_path):
    got = found(tmp_path, "Mistral raised $2 billion in 2025, compared with $40 billion at OpenAI.\n",
                resolver, vocab)
    rival = got["$40 billion"]
    assert (rival.subject, rival.property) == (KGE + "openai", KGP + "fundingRaised")
    assert "compared with" in rival.decided_by


def test_two_models_released_together_each_with_a_parenthesis_share_the_date(resolver, vocab, tmp_path):
    got = proposals(tmp_path, "DeepSeek launched DeepSeek-V3 (a MoE design) and DeepSeek-R1 (built on it) "
                              "on March 3, 2025, each with a 128K token context.\n", resolver, vocab)
    dates = {p.subject for p in got if p.property == KGP + "releaseDate"}
    assert dates == {KGE + "deepseek-v3", KGE + "deepseek-r1"}
    contexts = {p.subject for p in got if p.property == KGP + "contextWindow"}
    assert contexts == {KGE + "deepseek-v3", KGE + "deepseek-r1"}


def test_a_rival_named_after_its_own_figure_is_compared_not_the_subject(resolver, vocab, tmp_path):
    got = found(tmp_path, "DeepSeek-V3 was trained in 2 months.\n"
                          "It needs 40 GFLOPs/token against 900 for Llama 3.1 405B, and used 2K GPUs.\n",
                resolver, vocab)
    assert got["900"].subject == KGE + "llama-3-1-405b"
    # with no unit of its own, the compared figure is read in the unit of the one it is compared with
    assert got["900"].property == KGP + "flopsPerToken" and got["900"].value.amount == pytest.approx(9e11)
    # the rival's figure does not make it the sentence's subject for the figures after it
    assert got["2K"].subject == KGE + "deepseek-v3"


def test_a_compared_figure_after_a_possessive_measures_the_same(resolver, vocab, tmp_path):
    got = found(tmp_path, "Europe holds 5% of global AI compute vs China's 16%.\n", resolver, vocab)
    share = got["16%"]
    assert (share.subject, share.property) == (KGE + "china", KGP + "computeShare")


def test_cue_words_for_throughput_and_a_stages_compute_budget(resolver, vocab, tmp_path):
    got = found(tmp_path, "DeepSeek-V3 serves 60+ t/s on our cluster.\n"
                          "Its RL stage used over 20% of the pre-training compute.\n", resolver, vocab)
    assert got["60+"].property == KGP + "throughputTokens"
    assert got["over 20%"].property == KGP + "computeBudgetShare"


def test_a_figure_in_the_opening_phrase_is_the_main_clauses_subjects(resolver, vocab, tmp_path):
    got = found(tmp_path, "Kimi K2 was the first model we tried.\n"
                          "At a price of $0.50 per million input tokens, DeepSeek-V3 is cheaper.\n",
                resolver, vocab)
    assert got["$0.50"].subject == KGE + "deepseek-v3"


def test_a_date_in_the_opening_phrase_takes_the_main_clauses_verb(resolver, vocab, tmp_path):
    got = found(tmp_path, "Moonshot had a busy year.\n"
                          "Two months later, on 11 July 2025, the lab released Kimi K2, an open model.\n",
                resolver, vocab)
    date = got["11 July 2025"]
    assert (date.subject, date.property) == (KGE + "kimi-k2", KGP + "releaseDate")
    # a date inside a clause of its own is not what a later clause's verb happened on
    later = found(tmp_path, "The lab met its investors on 11 July 2025, and released Kimi K2 later.\n",
                  resolver, vocab)
    assert "11 July 2025" not in later or later["11 July 2025"].property != KGP + "releaseDate"


def test_a_figure_in_an_apposition_describes_the_name_before_it(resolver, vocab, tmp_path):
    got = found(tmp_path, "The model is funded by High-Flyer Capital – one of the biggest Chinese funds, "
                          "managing about RMB 50 billion ($7 billion).\n", resolver, vocab)
    assert got["about RMB 50 billion"].subject == KGE + "high-flyer"
    # the same amount in another currency, in parentheses, has the same owner
    assert got["$7 billion"].subject == KGE + "high-flyer"


def test_a_month_without_a_year_takes_the_year_from_the_documents_date(resolver, vocab, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Moonshot released Kimi K2 in mid-July, after a long wait.\n"
                    "Its previous model came out in October; a third May follow.\n", encoding="utf-8")
    from kg.ingest.extract import SourceInfo

    dated = extract_file(path, resolver, vocab=vocab, source=SourceInfo(date="2025-09-02")).proposals
    release = next(p for p in dated if p.stated == "mid-July")
    assert (release.subject, release.property, release.value_date) == (
        KGE + "kimi-k2", KGP + "releaseDate", "2025-07")
    # a month after the document's own month is the previous year's (the text tells of the past:
    # a future "in October" would be read a year early, which the reviewer corrects); "May" the
    # verb is no date
    assert next(p for p in dated if p.stated == "October").value_date == "2024-10"
    assert not any(p.stated == "May" for p in dated)
    # without the document's date there is no year to give: the month is not proposed
    undated = extract_file(path, resolver, vocab=vocab).proposals
    assert not any(p.stated in ("mid-July", "October") for p in undated)


def test_a_version_written_apart_and_an_alias_that_runs_into_a_name(resolver):
    from kg.ingest.names import EntityBook

    book = EntityBook(resolver)
    assert [m.iri for m in book.mentions("We compared Qwen 2.5 72B with others.")] == [KGE + "qwen2-5-72b"]
    # "Alibaba Qwen" is an alias of the lab; followed by a version it is the lab and the family
    assert [m.iri for m in book.mentions("Alibaba Qwen 2.5 is out.")] == [
        KGE + "alibaba", KGE + "qwen2-5-family"]
    assert [m.iri for m in book.mentions("The Alibaba Qwen team grew.")] == [KGE + "alibaba"]


def test_list_items_are_about_the_sections_heading_not_the_previous_item(resolver, vocab, tmp_path):
    got = proposals(tmp_path, "Market notes\n\n"
                              "Alibaba Qwen 2.5: Scaling Data Instead Of Compute\n\n"
                              "The team trained on more tokens than before.\n"
                              "- Serving: ~$0.30/M tokens on the public API.\n"
                              "- Kimi K2 sells at $0.60/M tokens.\n"
                              "- Latency: 300+ t/s on our cluster.\n", resolver, vocab)
    by_line = {p.line: p for p in got}
    # the heading names the lab and its model: the section is about the model
    assert by_line[6].subject == KGE + "qwen2-5-family"
    assert by_line[7].subject == KGE + "kimi-k2"
    assert by_line[8].subject == KGE + "qwen2-5-family"


def test_a_figure_in_the_same_unit_joined_by_and_is_read_in_parallel(resolver, vocab, tmp_path):
    got = found(tmp_path, "Chinese labs are four months behind the frontier by one count, "
                          "and 9 months by another.\n", resolver, vocab)
    assert got["9 months"].property == KGP + "monthsBehindFrontier"
    assert "read in parallel" in got["9 months"].decided_by
    # a figure a later rule decided keeps its reading ("a size beside a model's name")
    sized = found(tmp_path, "DeepSeek-V3 (37B active) and DeepSeek-R1 (671B) were both tested.\n",
                  resolver, vocab)
    assert sized["671B"].property == KGP + "totalParameters"


def test_a_multiple_after_a_technique_is_a_figure_not_a_version(resolver, vocab, tmp_path):
    got = found(tmp_path, "NVIDIA says its new rack runs MoE 10x faster at 1/10th the cost.\n",
                resolver, vocab)
    assert got["10x"].property == KGP + "speedup"
    assert got["1/10th"].property == KGP + "costRatio"


def test_orders_of_magnitude_and_multiples_in_words(resolver, vocab, tmp_path):
    got = found(tmp_path, "Frontier runs at US labs cost hundreds of millions of dollars to train.\n"
                          "DeepSeek-V3 used FP8, doubling the speed of its matrix units.\n"
                          "Kimi K2 reaches hundreds of millions of users.\n", resolver, vocab)
    cost = got["hundreds of millions of dollars"]
    assert cost.property == KGP + "trainingCost" and cost.value.low == 1e8
    assert got["doubling"].property == KGP + "speedup"
    # an order of magnitude with no currency counts something: never a ratio
    assert got["hundreds of millions"].property == KGP + "users"


def test_a_release_date_is_the_product_the_organisation_releases(resolver, vocab, tmp_path):
    got = found(tmp_path, "Kimi K2 came first.\n"
                          "In March 2025, a Chinese lab called DeepSeek released V3.2, a sparse model.\n"
                          "NVIDIA's newest part, the H200, shipped in November 2024.\n", resolver, vocab)
    assert got["March 2025"].subject == KGE + "deepseek-v3-2"
    assert got["November 2024"].subject == KGE + "h200"


def test_a_fraction_in_words_is_a_ratio_not_a_count(resolver, vocab, tmp_path):
    got = found(tmp_path, "With its cache trick, DeepSeek-V3 keeps about a fifth of the GPU memory in use.\n",
                resolver, vocab)
    share = got["about a fifth"]
    assert share.property == KGP + "memoryShare" and abs(share.value.amount - 0.2) < 1e-9


def test_a_bare_year_is_a_date_only_when_a_date_cue_says_what_happened(resolver, vocab, tmp_path):
    got = proposals(tmp_path, "Exports to China fell under the export rule that took effect in 2022.\n"
                              "The lab had 300 staff in 2023.\n"
                              "Our cluster uses the H100, released in 2022, for training.\n", resolver, vocab)
    by_line = {(p.line, p.stated): p for p in got}
    rule = by_line[(1, "2022")]
    assert (rule.subject, rule.property, rule.value_date) == (
        KGE + "us-export-rule-2022-10", KGP + "effectiveDate", "2022")
    assert (2, "2023") not in by_line                      # no date cue: a year is no claim
    release = by_line[(3, "2022")]                          # a participle right after a name
    assert (release.subject, release.property) == (KGE + "h100", KGP + "releaseDate")


def test_a_models_first_word_later_in_the_sentence_refers_to_it(resolver, vocab, tmp_path):
    got = found(tmp_path, "DeepSeek-V3 beat Llama 3.1 405B while using 2.8M GPU hours against "
                          "Llama's 30.8M GPU hours.\n", resolver, vocab)
    assert got["30.8M"].subject == KGE + "llama-3-1-405b"
    assert got["2.8M"].subject == KGE + "deepseek-v3"


def test_a_name_followed_by_the_figures_own_cue_owns_it(resolver, vocab, tmp_path):
    got = found(tmp_path, "OpenAI signed the deal, backed by $20 billion in Microsoft investment.\n",
                resolver, vocab)
    money = got["$20 billion"]
    assert (money.subject, money.property) == (KGE + "microsoft", KGP + "investment")


def test_a_parallel_figure_with_no_name_of_its_own_shares_the_subject(resolver, vocab, tmp_path):
    got = found(tmp_path, "Kimi K2 was among the models tested. By one count the gap is three months "
                          "behind the frontier, and 9 months by another.\n", resolver, vocab)
    first, second = got["three months"], got["9 months"]
    assert second.subject == first.subject and second.property == first.property
    assert second.decided_by.startswith("subject: that of 'three months'")


def test_a_gpu_count_beside_a_chip_is_the_owners_with_the_chip_as_qualifier(resolver, vocab, tmp_path):
    got = found(tmp_path, "Meta keeps large H100 stockpiles (350K+) for training.\n", resolver, vocab)
    count = got["350K+"]
    assert (count.subject, count.property, count.chip) == (KGE + "meta", KGP + "gpuCount", KGE + "h100")


def test_a_small_plain_number_nothing_explains_is_not_proposed(resolver, vocab, tmp_path):
    got = found(tmp_path, "DeepSeek-V3 stores weights in 8 bits instead of the usual 16 or 32.\n"
                          "Kimi K2 reached over 25M in its first month.\n", resolver, vocab)
    assert "16" not in got and "32" not in got
    # a number written with a magnitude is kept for review, as kgp:other
    assert got["over 25M"].property == KGP + "other"


def test_identifiers_and_spans_of_years_are_not_figures(resolver, vocab, tmp_path):
    got = found(tmp_path, "The DeepSeek-V3 report (arXiv 2412.19437) covers 2022-2025 and was out on "
                          "2024-12-26.\n", resolver, vocab)
    assert "2412.19437" not in got and "2022-2025" not in got
    assert got["2024-12-26"].value_date == "2024-12-26"


def test_a_name_given_as_an_example_is_not_what_the_text_is_about(resolver, vocab, tmp_path):
    got = found(tmp_path, "Chinese labs favour small dense students (e.g., DeepSeek-R1). "
                          "Post-training takes 20% of the pre-training compute.\n", resolver, vocab)
    assert got["20%"].subject == KGE + "chinese-labs"


def test_a_date_written_with_dots_is_a_date_not_a_number(tmp_path, resolver, vocab):
    """A changelog's "[2024.03.05] We release X" is a release on that day; "2025.01" alone, or
    a day that no calendar has, stays what it was."""
    got = found(tmp_path, "\\[2024.03.05\\] We release Foo-9B for everyone.\n\n"
                          "Foo-9B reached version 2025.01 of its tokenizer on 2024/13/40.\n",
                resolver, vocab)
    release = got["2024.03.05"]
    assert release.property == KGP + "releaseDate" and release.value_date == "2024-03-05"
    assert "2024/13/40" not in got and not any(p.value_date == "2025-01" for p in got.values())


def test_a_word_in_the_clause_narrows_a_cue_to_its_sibling(resolver, vocab, tmp_path):
    # kg:narrows / kg:clauseCue: "behind" says a lag, "compute" in the same clause a compute lag;
    # "accelerators" says a GPU count, "shipped" in the clause says shipments
    got = found(tmp_path, "Our reading is that the pool of AI compute in Japan runs four years behind.\n"
                          "Japanese models trail the best ones by about nine months.\n"
                          "AMD is thought to have shipped 2 million MI300 accelerators so far.\n"
                          "AMD owns a cluster of 4,000 accelerators, we hear.\n", resolver, vocab)
    assert got["four years"].property == KGP + "computeLag"
    assert "narrowed by 'compute'" in got["four years"].decided_by
    assert got["about nine months"].property == KGP + "monthsBehindFrontier"
    assert got["2 million"].property == KGP + "shipments"
    assert got["4,000"].property == KGP + "gpuCount"


def test_power_in_words_and_capacity_signed_or_built(resolver, vocab, tmp_path):
    # "gigawatts" is a unit of the figure; capacity signed or committed is contracted compute
    # capacity, a data centre's draw is its power capacity
    got = proposals(tmp_path, "Microsoft signed contracts for 5 gigawatts of capacity.\n"
                              "Meta committed to 2 gigawatts of AMD systems.\n"
                              "A new data centre in Ohio will draw 1.5 gigawatts.\n"
                              "Meta runs its MTIA chips in 14 data centre regions.\n", resolver, vocab)
    by_line = {p.line: p for p in got}
    # power is written with its unit: a bare count near "data centre" is no power capacity
    assert all(p.property != KGP + "powerCapacity" for p in got if p.line == 4)
    assert by_line[1].property == KGP + "computeCapacity" and by_line[1].value.amount == 5e9
    assert by_line[2].property == KGP + "computeCapacity" and by_line[2].subject == KGE + "meta"
    assert by_line[3].property == KGP + "powerCapacity" and by_line[3].value.amount == 1.5e9


def test_a_time_told_relative_to_the_documents_date(resolver, vocab, tmp_path):
    # "last year", "later this year", "this month" are dated by the document (its year or month
    # moved as the words say) when a date cue says what happened then; with no cue, a relative
    # time is a time frame ("demand grew this year"), not a date
    from kg.ingest.extract import SourceInfo

    path = tmp_path / "note.txt"
    path.write_text("Last year, Google deployed the TPU v5p across its regions.\n"
                    "Analysts expect the Vera Rubin platform arriving later this year to sell out.\n"
                    "Meta raised its capex guidance this month, again.\n"
                    "Demand for chips grew sharply this year.\n", encoding="utf-8")
    got = {p.stated: p for p in extract_file(path, resolver, vocab=vocab,
                                            source=SourceInfo(date="2026-02-10")).proposals}
    assert (got["Last year"].property, got["Last year"].value_date) == (KGP + "releaseDate", "2025")
    rubin = got["later this year"]
    assert (rubin.subject, rubin.property, rubin.value_date) == (
        KGE + "vera-rubin", KGP + "releaseDate", "2026")
    assert "release verb before the date" in rubin.decided_by
    assert "this month" not in got and "this year" not in got
    from kg.ingest.prose.dates import relative_date

    assert relative_date("this month", {"2026-02-10"}) == "2026-02"
    assert relative_date("last month", {"2026-01-10"}) == "2025-12"
    assert relative_date("next year", {"2026"}) == "2027"
    assert relative_date("this month", {"2026"}) is None   # no month to move
    # without the document's date there is nothing to move: not proposed
    assert not any(p.stated == "Last year" for p in extract_file(path, resolver, vocab=vocab).proposals)


def test_a_multiple_written_as_a_determiner_and_a_compute_lead(resolver, vocab, tmp_path):
    # "double the ...", "twice as fast": a multiple in words; "deployable compute", a "gap" in a
    # ratio: the compute lead (a "deployable" adjective is no release cue for the year before it)
    got = found(tmp_path, "In 2021, Japan had double the deployable compute of Korea.\n"
                          "Today that gap is closer to fivefold.\n"
                          "The new chip is twice as fast as the old one.\n", resolver, vocab)
    assert (got["double"].subject, got["double"].property) == (KGE + "japan", KGP + "computeLead")
    assert got["double"].value.amount == 2
    assert (got["closer to fivefold"].subject, got["closer to fivefold"].property) == (
        KGE + "japan", KGP + "computeLead")
    assert got["twice"].property == KGP + "speedup"
    assert "2021" not in got


def test_the_number_of_a_counted_noun_says_what_a_far_count_is(resolver, vocab, tmp_path):
    # "the number of <noun> ... has passed N": the counted noun heads the clause, however far
    # the figure stands; "reduced prices ... by N%" is a price cut
    got = found(tmp_path, "Moonshot said the number of registered users across its consumer chat app "
                          "and its developer platform has now passed 2 million.\n"
                          "Alibaba reduced prices on its Qwen2.5-72B model by up to 60% last week.\n"
                          "Baidu's chat app now reaches tens of millions of consumers.\n",
                resolver, vocab)
    assert got["tens of millions"].property == KGP + "users"
    users = got["2 million"]
    assert (users.subject, users.property) == (KGE + "moonshot-ai", KGP + "users")
    assert "heads its clause" in users.decided_by
    assert got["up to 60%"].property == KGP + "priceCut"


def test_a_noun_right_after_a_share_names_what_it_is_a_share_of(resolver, vocab, tmp_path):
    # kg:headCue: "compute" right after a share is a compute ratio; further away (a card's
    # "test-time compute") the same word says nothing about the figure
    got = found(tmp_path, "Mistral reaches 95% of the quality on 30% compute with sparse experts.\n"
                          "Mistral scores 61.2% on GPQA with test-time compute scaling.\n", resolver, vocab)
    assert got["30%"].property == KGP + "computeRatio"
    assert got["61.2%"].property != KGP + "computeRatio"


def test_a_multiple_is_never_a_percentage_cut(resolver, vocab, tmp_path):
    # "8x lower cost" is a cost multiple (costRatio kg:reducedAs costReduction), "40% lower cost"
    # a cost reduction
    got = found(tmp_path, "Mistral serves its model at 8x lower cost than before.\n"
                          "Mistral serves its model at 40% lower cost than before.\n", resolver, vocab)
    assert got["8x"].property == KGP + "costRatio"
    assert got["40%"].property == KGP + "costReduction"


def test_a_year_opening_a_timeline_entry_is_a_date(resolver, vocab, tmp_path):
    # "(2023: ...; 2025: ...)": a year that opens an entry with a colon is a date, classified by
    # the cue before the timeline ("controls"); a year in running text still needs its preposition
    got = found(tmp_path, "Chip controls tightened step by step (2023: H800 sales stopped; 2025: H20 too).\n"
                          "The 2023 controls were a turning point.\n", resolver, vocab)
    entry = got["2023"]
    assert (entry.subject, entry.property, entry.value_date) == (
        KGE + "us-export-rule-2023-10", KGP + "effectiveDate", "2023")
    assert entry.line == 1


def test_a_date_in_a_reference_entry_is_the_cited_works_publication(resolver, vocab, tmp_path):
    # whatever its title's words ("licence", "rule"), a reference entry's date is when the cited
    # work came out; the same words in running text still classify a date
    got = proposals(tmp_path, "- [3] Commerce Department, new licence rule for AI chips, March 4, 2025.\n\n"
                              "The new licence rule took effect on March 4, 2025.\n", resolver, vocab)
    by_line = {p.line: p for p in got if p.value_date == "2025-03-04"}
    assert by_line[1].property == KGP + "announcementDate"
    assert "reference entry" in by_line[1].decided_by
    assert by_line[3].property == KGP + "effectiveDate"


def test_a_product_another_organisation_develops_is_not_the_subjects(resolver, vocab, tmp_path):
    # the graph says Claude is Anthropic's (kg:developer): named after the date, it is what the
    # organisation used, not its product; a lab's own model still stands for it
    got = proposals(tmp_path, "Uber used up its AI budget by March 2026, its engineers all using Claude.\n"
                              "Alibaba sells its Qwen2.5-72B model at $0.40 per million tokens.\n",
                    resolver, vocab)
    by_line = {p.line: p for p in got}
    assert by_line[1].subject == KGE + "uber"
    assert by_line[2].subject == KGE + "qwen2-5-72b"


def test_names_given_as_examples_and_a_groups_own_figures(resolver, vocab, tmp_path):
    # names in an "(e.g., ...)" parenthesis are examples, not what the sentence is about, unless
    # the figure is in that parenthesis with them; a model's figure in a sentence about a group
    # (a kg:Market) that names no model of its own is the group's
    got = found(tmp_path, "Chinese labs prefer sparse models (e.g., Kimi K2) for cheap serving "
                          "(10-40B active per token).\n"
                          "Newcomers should build on open models (e.g., Qwen2.5-72B for $0.30 per million "
                          "tokens), not train their own.\n", resolver, vocab)
    assert (got["10-40B"].subject, got["10-40B"].property) == (KGE + "chinese-labs", KGP + "activeParameters")
    assert got["$0.30"].subject == KGE + "qwen2-5-72b"


def test_a_chip_the_subject_ran_on_is_the_platform_not_the_owner(resolver, vocab, tmp_path):
    # "tested on X chips (2.1x speedup)": where it ran; "The H100 (3x faster ...)": the chip's own
    got = found(tmp_path, "Kimi K2 was tested on Huawei Ascend chips (2.1x speedup over the baseline).\n"
                          "The H100 (3x faster than the A100) sold out.\n", resolver, vocab)
    assert (got["2.1x"].subject, got["2.1x"].property) == (KGE + "kimi-k2", KGP + "speedup")
    assert got["3x"].subject == KGE + "h100"


def test_a_technique_introduced_or_acting_owns_its_effect(resolver, vocab, tmp_path):
    # the technique a verb of introducing takes ("proposed X, cutting ..."), "it" for the one
    # technique the sentence before named, or a technique right before a verb-like figure
    # ("X roughly doubling") owns the effect; a model that introduces a technique keeps its own
    got = found(tmp_path, "A 2022 Google paper proposed Multi-Token Prediction, cutting training time "
                          "by 20%.\n"
                          "Later work found MTP roughly doubling sample efficiency.\n"
                          "The most cited case is Multi-head Latent Attention (MLA), a design for the "
                          "attention cache. Moonshot introduced it in Kimi K2, reducing memory use by 80%.\n"
                          "DeepSeek-V3.2 introduced DeepSeek Sparse Attention, cutting inference cost "
                          "by 50%.\n",
                resolver, vocab)
    assert got["20%"].subject == KGE + "mtp"
    assert got["roughly doubling"].subject == KGE + "mtp"
    assert (got["80%"].subject, got["80%"].property) == (KGE + "mla", KGP + "memoryReduction")
    assert got["50%"].subject == KGE + "deepseek-v3-2"


def test_a_ratio_of_shipments(resolver, vocab, tmp_path):
    # a ratio near "shipped" is a shipments multiple; a count near it stays shipments
    got = found(tmp_path, "AMD aims to ship 300,000 MI300 chips, still around a fifth of what NVIDIA "
                          "shipped.\n", resolver, vocab)
    fifth = got["around a fifth"]
    assert (fifth.subject, fifth.property) == (KGE + "amd", KGP + "shipmentsRatio")
    assert got["300,000"].property == KGP + "shipments"


def test_a_price_pair_written_with_million_tokens(resolver, vocab, tmp_path):
    # "$0.60/$3M tokens": the M is "per million tokens", not three million dollars; a pair of
    # prices is never a total, whatever cue stands before it; "$3M" raised stays money
    got = found(tmp_path, "Kimi K2.5 costs $0.60/$3M tokens via the API.\n"
                          "Mistral raised $3M from angel investors.\n", resolver, vocab)
    assert got["$3"].property == KGP + "apiPrice" and got["$0.60"].property == KGP + "apiPrice"
    assert got["$3M"].property == KGP + "fundingRaised"


def test_they_after_two_variants_and_scores_after_a_benchmarks_name(resolver, vocab, tmp_path):
    # "These"/"They" after two joined variants of one model (kg:variantOf) are that model, and a
    # sentence opening so keeps the discourse subject; "vs." ends no sentence; an "(e.g., ...)"
    # parenthesis is no figure of the name before it; a number right after a benchmark's name is
    # its score ("Codeforces 3100"); a family's name after its model's in a sentence is that model
    got = found(tmp_path, "DeepSeek released V4-Pro (1.6T total) and V4-Flash (284B total) on "
                          "April 24, 2026. "
                          "These claim parity with Claude Opus 4.6 (e.g., 79.1% SWE-bench Verified vs. "
                          "Claude 80.2%; Codeforces 3100 rating). They were pre-trained on 30T tokens.\n"
                          "Kimi K2.6 leads the open models (Intelligence Index 52).\n", resolver, vocab)
    for figure in ("79.1%", "3100", "30T"):
        assert got[figure].subject == KGE + "deepseek-v4", figure
    assert got["3100"].property == KGP + "benchmarkScore"
    assert (got["80.2%"].subject, got["80.2%"].property) == (KGE + "claude-opus-4-6", KGP + "benchmarkScore")
    assert (got["52"].subject, got["52"].property) == (KGE + "kimi-k2-6", KGP + "benchmarkScore")


def test_cue_words_for_context_multiples_inference_compute_and_initiated_rules(resolver, vocab, tmp_path):
    got = found(tmp_path, "Kimi K2 stretches the context window to four times its old length.\n"
                          "Kimi K2 needs the inference compute of a model roughly one-tenth the size.\n"
                          "The licence rule on chips, initiated by the agency in March 2025, hit Huawei.\n",
                resolver, vocab)
    assert got["four times"].property == KGP + "contextWindowRatio"
    assert got["roughly one-tenth"].property == KGP + "inferenceFlopsShare"
    assert got["March 2025"].property == KGP + "announcementDate"


def test_an_aside_between_dashes_and_a_cut_by_half(resolver, vocab, tmp_path):
    # a figure closing a dash aside takes no cue from past the dash (the main clause's verb): one
    # compared with another takes that one's property; "by half" is a figure
    got = found(tmp_path, "Mistral's model, with 140 billion parameters – twice more than GPT-3's "
                          "70 billion – activates only 20 billion parameters per token.\n"
                          "The new cluster cut costs by half and power use by 30%.\n", resolver, vocab)
    assert (got["70 billion"].subject, got["70 billion"].property) == (KGE + "gpt-3", KGP + "totalParameters")
    assert got["half"].property == KGP + "costReduction" and got["half"].value.amount == 0.5


def test_a_time_later_between_releases_and_a_compute_lag_earlier(resolver, vocab, tmp_path):
    # "N later, ... released X": the interval is X's (the release verb's object); "what Y had N
    # earlier" with compute in the clause is a compute lag
    got = found(tmp_path, "Moonshot released Kimi K2 in July 2025. Six months later, in January 2026, the "
                          "lab released Kimi K2.5.\n"
                          "Chinese labs now hold a stock of compute that American labs already had three "
                          "years earlier.\n", resolver, vocab)
    six, three = got["Six months"], got["three years"]
    assert (six.subject, six.property) == (KGE + "kimi-k2-5", KGP + "releaseInterval")
    assert (three.subject, three.property) == (KGE + "chinese-labs", KGP + "computeLag")


def test_footnotes_denominators_and_percentage_points(resolver, vocab, tmp_path):
    # "reasoning.7": a footnote, no figure; "(per 1 trillion tokens)": a rate's basis, no claim;
    # "3-5pp" keeps its unit
    got = found(tmp_path, "Kimi K2 leads open models on agentic reasoning.7 It beats Qwen2.5-72B by 3-5pp "
                          "on most evals.\n"
                          "Kimi K2 took 0.2 million GPU hours (per 1 trillion tokens) to train.\n",
                resolver, vocab)
    assert ".7" not in got and "7" not in got
    assert "3-5pp" in got
    assert "1 trillion" not in got and got["0.2 million"].property == KGP + "trainingGpuHours"


def test_a_context_length_or_a_gpu_hour_rate_after_at_qualifies_a_figure(resolver, vocab, tmp_path):
    # kg:asCondition: "at 128K context", "at $2/GPU-hr" are the condition or assumed rate of the
    # figure they follow (or the total the clause converts them into), not claims of their own;
    # a ratio after "at" is a claim in parallel ("3x faster at half the cost")
    got = found(tmp_path, "Kimi K2 cuts KV cache to 15% of the baseline at 128K context.\n"
                          "Training Kimi K2 took 3.1M GPU-hours (~$6.2M at $2/GPU-hr).\n"
                          "Its 3.1M GPU-hours, which at about $2 per GPU-hour comes to $6.2 million, were "
                          "cheap.\n"
                          "The new chip runs 3x faster at a quarter of the cost.\n", resolver, vocab)
    assert "128K" not in got and got["15%"].condition == "at 128K context"
    assert "$2" not in got and got["~$6.2M"].condition == "at $2/GPU-hr"
    assert "about $2" not in got and got["$6.2 million"].condition == "at about $2 per GPU-hour"
    assert "a quarter" in got


def test_a_date_nothing_classifies_is_proposed_only_as_a_deadline(resolver, vocab, tmp_path):
    # "in March 2026" with no cue saying what happened is a time frame, not a claim; "by March
    # 2026" is when something was done by (an event date for review)
    got = found(tmp_path, "Jensen Huang spoke to a full hall in March 2026 about agents.\n"
                          "Uber had spent its whole AI budget by March 2026, its CTO said.\n",
                resolver, vocab)
    assert list(got) == ["March 2026"]
    assert (got["March 2026"].subject, got["March 2026"].property) == (KGE + "uber", KGP + "eventDate")


def test_bound_signs_are_part_of_the_figure(resolver, vocab, tmp_path):
    # ">10%", "10%+" keep their bound; a version requirement ("Python >= 3.8") is no claim
    got = found(tmp_path, "Kimi K2 spends >10% of its pre-train compute budget on RL (10%+ pre-train "
                          "budget).\n"
                          "Install with Python >= 3.8 and a recent driver.\n", resolver, vocab)
    assert got[">10%"].value.shape == "lower" and got["10%+"].value.shape == "lower"
    assert not any(s.endswith("3.8") for s in got)


def test_a_country_compared_with_a_group_stands_for_its_own_group(resolver, vocab, tmp_path):
    # "China's AI startups raised X, against Y in the US": the US's group of the same kind
    got = found(tmp_path, "China's AI startups raised $9 billion last year, against $200 billion in the "
                          "US.\n", resolver, vocab)
    assert got["$9 billion"].subject == KGE + "chinese-ai-startups"
    assert (got["$200 billion"].subject, got["$200 billion"].property) == (
        KGE + "us-ai-startups", KGP + "fundingRaised")


def test_a_share_of_inference_flops_is_a_models_and_a_leap_a_speedup(resolver, vocab, tmp_path):
    # kgp:inferenceFlopsShare kg:typicalSubject kg:Model: the lab stands for its model the text
    # last named; "a 5x inference leap" is a speed-up
    got = found(tmp_path, "Moonshot released Kimi K2 in July 2025. Moonshot mixes INT4 and FP8 weights, "
                          "which is why inference FLOPs fall to 30% of the previous generation.\n"
                          "Kimi K2.5 brings a 5x inference leap on GB200.\n", resolver, vocab)
    assert (got["30%"].subject, got["30%"].property) == (KGE + "kimi-k2", KGP + "inferenceFlopsShare")
    assert got["5x"].property == KGP + "speedup"


def test_a_number_after_a_name_and_a_slash_is_another_version(resolver, vocab, tmp_path):
    # "Qwen 2.5/3", "INT3/4": the number after the slash names another version, no figure
    got = found(tmp_path, "We compare Qwen 2.5/3 benchmark results and efficient INT3/4 quantization.\n",
                resolver, vocab)
    assert "3" not in got and "4" not in got


def test_a_relative_clause_and_an_amount_before_a_chip(resolver, vocab, tmp_path):
    # "X's 7B distilled variant, which has been downloaded N times": the sized model the graph
    # knows; "$40M H100 cases": the amount qualifies the chip named right after it
    got = found(tmp_path, "Qwen3-8B runs on a laptop, as does DeepSeek R1's 7B distilled variant, which "
                          "has been downloaded 20 million times.\n"
                          "Customs reported $40M H100 smuggling cases last year.\n", resolver, vocab)
    assert (got["20 million"].subject, got["20 million"].property) == (
        KGE + "deepseek-r1-distill-qwen-7b", KGP + "downloads")
    assert (got["$40M"].subject, got["$40M"].property) == (KGE + "h100", KGP + "smugglingValue")


def test_outpacing_by_points_and_inference_at_a_share(resolver, vocab, tmp_path):
    got = found(tmp_path, "Kimi K2 outpaces Qwen2.5-72B by 3-5pp on most evals.\n"
                          "Kimi K2 runs inference at 15% of dense peers thanks to sparse activation.\n",
                resolver, vocab)
    assert got["3-5pp"].property == KGP + "relativePerformance"
    assert got["15%"].property == KGP + "inferenceFlopsShare"


def test_a_groups_word_used_as_an_adjective_names_the_group(resolver, vocab, tmp_path):
    # "US hyperscale capex": the group's word before another noun names the group; after "a",
    # or before a name ("Chinese lab DeepSeek"), it is one entity
    got = found(tmp_path, "US hyperscale capex ($450B in 2025) keeps climbing.\n"
                          "A Chinese lab called DeepSeek raised $1 billion.\n"
                          "Chinese lab DeepSeek raised $2 billion.\n", resolver, vocab)
    assert got["$450B"].subject == KGE + "us-hyperscalers"
    assert got["$1 billion"].subject == KGE + "deepseek" and got["$2 billion"].subject == KGE + "deepseek"


def test_a_text_table_cell_naming_an_earlier_version_is_about_it(resolver, vocab, tmp_path):
    # in the row of Kimi K2.5, "15.5T (K2 base)" and "$4.6M (prior K2)" are Kimi K2's figures; the
    # row's own cells stay the row's
    got = {(p.subject, p.stated): p for p in proposals(
        tmp_path, "Model Params Active Params Training Tokens Budget\n"
                  "Kimi K2.5 1T 32B 15.5T (K2 base) $4.6M (prior K2 est.)\n"
                  "GLM-5 744B 40B 28.5T $4.1M\n", resolver, vocab)}
    assert got[(KGE + "kimi-k2", "15.5T")].property == KGP + "trainingTokens"
    assert got[(KGE + "kimi-k2", "$4.6M")].property == KGP + "trainingCost"
    assert (KGE + "kimi-k2-5", "1T") in got and (KGE + "glm-5", "28.5T") in got
