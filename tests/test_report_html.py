"""The HTML report opened in a real headless Chromium, as a reader would open it."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page_of(tmp_path_factory):
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    from conftest import HOSTILE_MODEL, ROOT
    from kg import EvidenceGraph
    from kg.report.exports import export_bytes

    folder = tmp_path_factory.mktemp("report")
    hostile = folder / "hostile.ttl"
    hostile.write_text(HOSTILE_MODEL)
    eg = EvidenceGraph(graph=[ROOT / "graph", hostile])
    report = folder / "report.html"
    report.write_bytes(export_bytes(eg, "html"))
    table = eg.capability_table()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        yield page, errors, requests, table
        browser.close()


def test_page_loads_without_errors_or_network(page_of):
    page, errors, requests, _table = page_of
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # one file, offline


def test_table_has_a_row_per_model(page_of):
    page, _errors, _requests, table = page_of
    rows = page.locator("table.capability tbody tr")
    assert rows.count() == len(table.rows)
    v3 = page.locator('tr[data-model="https://w3id.org/kg-compute/entity/deepseek-v3"]')
    assert "671B" in v3.inner_text()


def test_chart_is_drawn(page_of):
    page, *_ = page_of
    figure = page.locator('figure[data-chart="capability-vs-compute"]')
    assert figure.count() == 1
    box = figure.locator("svg").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert int(figure.get_attribute("data-points")) >= 2


def test_conflict_entry_shows_its_candidates(page_of):
    page, *_ = page_of
    entry = page.locator(".conflict-entry", has_text="DeepSeek-V4 / total parameters")
    assert entry.count() == 1
    text = entry.inner_text()
    assert "preferred: 1.6T" in text and "candidate:" in text and "1T" in text


def test_label_with_script_renders_as_text(page_of):
    page, *_ = page_of
    assert page.evaluate("window.pwned === undefined")
    assert page.get_by_text("<script>window.pwned=1</script>Evil").count() >= 1
