"""The HTML report opened in a real headless Chromium, as a reader would open it: the charts have
a point for every model the data supports, a click on a cell shows its evidence, every primary
source is linked, nothing is fetched and nothing from data runs."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import SHARED

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
KGE = "https://w3id.org/kg-compute/entity/"
HOSTILE = '''
@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
kge:evil a kg:Model ; skos:prefLabel "<script>window.pwned=1</script>Evil" ; kg:developer kge:deepseek .
kgs:evil-card a kg:Document ; dcterms:title "Evil card" ; kg:sourceKind kg:PrimaryReport ;
    dcterms:source <javascript:window.pwned=3> .
<https://w3id.org/kg-compute/claim/evil-1> a kg:Claim ; kg:subject kge:evil ;
    kg:property kgp:totalParameters ; kg:stated "7B" ; kg:hedge kg:Stated ;
    prov:wasDerivedFrom kgs:evil-card ; kg:locator "test" ;
    kg:evidence "</script><script>window.pwned=2</script>7B <b>bold</b>" .
'''


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"])


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (scripts/test.sh installs Debian's chromium)")
    from conftest import ROOT
    from kg import EvidenceGraph
    from kg.report.exports import export_bytes

    folder = tmp_path_factory.mktemp("report")
    hostile = folder / "hostile.ttl"
    hostile.write_text(HOSTILE)
    eg = EvidenceGraph(graph=[ROOT / "graph", hostile])
    path = folder / "report.html"
    path.write_bytes(export_bytes(eg, "html"))
    return eg, path


@pytest.fixture(scope="module")
def page_of(report):
    from playwright.sync_api import sync_playwright

    eg, path = report
    table = eg.capability_table()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        yield page, errors, requests, table, eg
        browser.close()


def test_page_loads_without_errors_or_network(page_of):
    page, errors, requests, _table, _eg = page_of
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # one file, offline


def test_table_has_a_row_per_model(page_of):
    page, _errors, _requests, table, _eg = page_of
    rows = page.locator("table.capability tbody tr")
    assert rows.count() == len(table.rows)
    v3 = page.locator(f'tr[data-model="{KGE}deepseek-v3"]')
    assert "671B" in v3.inner_text()


def models_with_compute_and_date(table) -> int:
    """Counted from the library, independently of the chart code."""
    return sum(1 for r in table.rows
               if isinstance(getattr(r.cells.get("training_flop"), "value", None), float | int)
               and re.match(r"^\d{4}(-\d{2}){0,2}$", str(getattr(r.cells.get("release_date"),
                                                                  "value", "")) or ""))


def test_compute_over_time_has_a_point_for_every_model_with_both_figures(page_of):
    page, _errors, _requests, table, _eg = page_of
    figure = page.locator('figure[data-chart="compute-over-time"]')
    assert figure.count() == 1
    box = figure.locator("svg").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    expected = models_with_compute_and_date(table)
    assert expected >= 12
    assert figure.locator('g[id^="points-t-"] a').count() == expected
    assert int(figure.get_attribute("data-points")) == expected
    # China and the US each have their own collections; conflicts are ringed
    assert figure.locator('g[id^="points-t-china-"] a').count() >= 5
    assert figure.locator('g[id^="points-t-united-states-"] a').count() >= 5
    assert figure.locator('g[id^="conflicts-t"]').count() == 1
    labels = figure.locator("svg text").all_text_contents()
    assert any("DeepSeek-V3" in t for t in labels) and any("GPT-4" in t for t in labels)


def test_capability_panels_have_a_point_for_every_model_with_compute_and_a_score(page_of):
    page, _errors, _requests, table, eg = page_of
    figure = page.locator('figure[data-chart="capability-vs-compute"]')
    benchmarks = json.loads(figure.get_attribute("data-benchmarks"))
    assert "SWE-bench Verified" in benchmarks and "GPQA Diamond" in benchmarks
    with_compute = {r.model for r in table.rows
                    if isinstance(getattr(r.cells.get("training_flop"), "value", None), float | int)}
    scores = eg.query("benchmark-scores")
    for i, name in enumerate(benchmarks):
        expected = scores[(scores.benchmarkLabel == name) & scores.model.isin(with_compute)]
        assert figure.locator(f'g[id^="points-b{i}-"] a').count() == len(expected), name


def test_a_chart_point_names_itself_and_leads_to_its_row(page_of):
    page, *_ = page_of
    point = page.locator('figure[data-chart="compute-over-time"] g[id^="points-t-china-"] a').first
    title = point.locator("title").text_content()
    assert "FLOP" in title and "released" in title
    href = point.get_attribute("xlink:href") or point.get_attribute("href")
    assert re.fullmatch(r"#row-\d+", href)
    assert page.locator(href).count() == 1
    assert title.split(" (")[0] in page.locator(href).inner_text()


def test_the_chart_shows_china_and_the_us_in_their_colours(page_of, tmp_path):
    """Looked at as pixels: a screenshot of the chart has China's red and the US's blue."""
    from PIL import Image

    page, *_ = page_of
    shot = tmp_path / "chart.png"
    page.locator('figure[data-chart="compute-over-time"]').screenshot(path=str(shot))
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    near = {name: sum(n for n, (r, g, b) in colours
                      if abs(r - rgb[0]) < 12 and abs(g - rgb[1]) < 12 and abs(b - rgb[2]) < 12)
            for name, rgb in (("China", (0xC6, 0x28, 0x28)), ("US", (0x15, 0x65, 0xC0)))}
    assert near["China"] > 100 and near["US"] > 100, near


def test_clicking_a_cell_shows_its_winning_and_losing_claims(page_of):
    page, _errors, requests, _table, eg = page_of
    before = len(requests)
    rec = eg.reconcile(write=False)
    v4 = rec.group(KGE + "deepseek-v4", "https://w3id.org/kg-compute/prop/totalParameters")
    panel = page.locator("#evidence")
    assert panel.is_hidden()
    page.locator(f'tr[data-model="{KGE}deepseek-v4"] td[data-column="total_params"]').click()
    assert panel.is_visible()
    text = panel.inner_text()
    assert "DeepSeek-V4 — Total params: 1.6T" in text
    assert f"{v4.kind} conflict" in text  # the kind the reconciler gave the statement
    assert "V4-Pro (1.6T total parameters, 49B active" in text       # a winner's evidence phrase
    assert "approximately 1 trillion total parameters" in text       # a loser's
    # the panel lists every claim of the winning value and of the losing ones (counts from the
    # reconciliation, so a lab card that adds claims to the winner keeps the test true)
    won = len(v4.preferred.claims)
    lost = sum(len(c.claims) for c in v4.candidates if c is not v4.preferred)
    assert won >= 2 and lost >= 4
    assert f"Won ({won})" in text and f"Lost ({lost})" in text
    assert "outranked by 1.6T" in text and "line 31" in text
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert all(url.startswith("file://") for url in requests[before:])


def test_a_primary_source_cell_links_the_lab_repository(page_of):
    page, *_ = page_of
    page.locator(f'tr[data-model="{KGE}deepseek-v3"] td[data-column="active_params"]').click()
    link = page.locator("#evidence a", has_text="DeepSeek-V3 README")
    assert link.count() >= 1
    assert link.first.get_attribute("href").startswith("https://github.com/deepseek-ai/DeepSeek-V3/")


def test_every_primary_source_is_linked_in_the_sources_list(page_of):
    page, _errors, _requests, _table, eg = page_of
    sources = eg.query("source-list")
    primary = sources[(sources.kind == "https://w3id.org/kg-compute/ontology#PrimaryReport")
                      & sources.url.fillna("").str.startswith("https://")]
    assert len(primary) >= 10  # the labs' model cards in graph/primary
    listed = page.locator("ul.primary-sources")
    for url, title in zip(primary.url, primary.title, strict=True):
        link = listed.locator(f'a[href="{url}"]')
        assert link.count() == 1, url
        assert link.inner_text() == title


def test_label_with_script_renders_as_text(page_of):
    page, *_ = page_of
    assert page.evaluate("window.pwned === undefined")
    assert page.get_by_text("<script>window.pwned=1</script>Evil").count() >= 1


def test_evidence_from_data_is_shown_as_text_and_no_script_address_is_linked(page_of):
    page, *_ = page_of
    page.locator(f'tr[data-model="{KGE}evil"] td[data-column="total_params"]').click()
    text = page.locator("#evidence").inner_text()
    assert "</script><script>window.pwned=2</script>7B <b>bold</b>" in text
    assert page.locator("#evidence b").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.locator('a[href^="javascript:"]').count() == 0


@pytest.fixture(scope="module")
def with_epoch(tmp_path_factory):
    notable = SHARED / "data" / "epoch" / "notable_ai_models.csv"
    if not notable.is_file():
        pytest.skip(f"Epoch AI's table is not at {notable}: the chart is checked on it")
    from click.testing import CliRunner

    from conftest import ROOT
    from kg import EvidenceGraph
    from kg.cli.main import main
    from kg.report.exports import export_bytes

    folder = tmp_path_factory.mktemp("epoch")
    imported = folder / "epoch.ttl"
    result = CliRunner().invoke(main, ["import", "epoch", str(notable), "--output", str(imported)])
    assert result.exit_code == 0, result.output
    eg = EvidenceGraph(graph=[ROOT / "graph", imported])
    return eg, export_bytes(eg, "html").decode()


def test_with_the_epoch_import_the_chart_plots_every_model_with_both_figures(with_epoch):
    import xml.etree.ElementTree as ET

    eg, html = with_epoch
    expected = models_with_compute_and_date(eg.capability_table())
    assert expected > 400  # Epoch's models, not only the corpus's
    figure = re.search(r'<figure data-chart="compute-over-time"[^>]*>(<svg.*?</svg>)', html, re.S)
    svg = ET.fromstring(figure.group(1))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    whole = [g for g in svg.iter("{http://www.w3.org/2000/svg}g")
             if g.get("id", "").startswith("points-t-")]
    assert sum(len(g.findall(".//svg:a", ns)) for g in whole) == expected
    # the large panel shows the race since its start, the small one every model
    zoomed = [g for g in svg.iter("{http://www.w3.org/2000/svg}g")
              if g.get("id", "").startswith("points-tz-")]
    assert 0 < sum(len(g.findall(".//svg:a", ns)) for g in zoomed) < expected
    assert "largest run so far" in figure.group(1)  # enough points: the frontier is drawn
