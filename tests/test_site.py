"""The reader site, built from the committed package: highlights at their offsets, notes linked both ways,
closed papers without text, and the pages opened in headless Chromium (skipped where it is missing)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from pipeline.package.site import build_site
from pipeline.package.site_text import HIGHLIGHT_TABLES, note_anchor

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
# Where the browser test leaves its screenshots (the closing note shows them); a temporary folder else.
SCREENSHOT_DIR = os.environ.get("SITE_SCREENSHOTS")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO_ROOT, tmp_path_factory.mktemp("site") / "site")


def documents() -> list[dict]:
    return pl.read_parquet(REPO_ROOT / "data" / "parquet" / "documents.parquet").to_dicts()


class HighlightText(HTMLParser):
    """The text inside each record's highlight pieces, and every id and href on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if tag in ("br", "meta", "link", "input"):
            return
        classes = (attributes.get("class") or "").split()
        # A note marker inside a span is not part of the span's text.
        self.stack.append(
            "marker" if "fnref" in classes else attributes.get("data-rec") if "hl" in classes else None
        )

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if "marker" in self.stack:
            return
        for record in {r for r in self.stack if r}:
            self.text[record].append(data)


def parse(path: Path) -> HighlightText:
    parser = HighlightText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    start = html.index('id="page-data">') + len('id="page-data">')
    return json.loads(html[start : html.index("</script>", start)])


def test_every_paper_has_a_page_and_the_index_links_it(site):
    index = parse(site / "index.html")
    for document in documents():
        page = site / "papers" / f"{document['document_id']}.html"
        assert page.is_file()
        assert f"papers/{document['document_id']}.html" in index.hrefs


def test_highlights_cover_exactly_their_records_offsets(site):
    """Each highlighted record's pieces spell text[char_start:char_end], notes' markers aside."""
    for document in documents():
        if not document["full_text_published"]:
            continue
        text = (REPO_ROOT / document["text_path"]).read_text(encoding="utf-8")
        page = parse(site / "papers" / f"{document['document_id']}.html")
        checked = 0
        for table, _, _ in HIGHLIGHT_TABLES:
            path = REPO_ROOT / "data" / "parquet" / f"{table}.parquet"
            if not path.exists():
                continue
            frame = pl.read_parquet(path).filter(pl.col("document_id") == document["document_id"])
            key_column = frame.columns[0]
            for row in frame.iter_rows(named=True):
                if row["char_start"] is None:
                    continue
                shown = "".join(page.text[f"{table}/{row[key_column]}"])
                expected = text[row["char_start"] : row["char_end"]]
                assert shown == expected, (table, row[key_column], shown, expected)
                checked += 1
        assert checked > 500


def test_footnotes_are_linked_both_ways(site):
    for document in documents():
        if not document["full_text_published"]:
            continue
        page = parse(site / "papers" / f"{document['document_id']}.html")
        notes = pl.read_parquet(REPO_ROOT / "data" / "parquet" / "footnotes.parquet").filter(
            pl.col("document_id") == document["document_id"]
        )
        marked = notes.filter(pl.col("marker_offset").is_not_null())
        assert marked.height
        for note in marked.iter_rows(named=True):
            note_id, marker_id = note_anchor(note), note_anchor(note, back=True)
            assert {note_id, marker_id} <= page.ids
            assert f"#{note_id}" in page.hrefs and f"#{marker_id}" in page.hrefs


def test_citations_link_to_their_works(site):
    document_id = documents()[0]["document_id"]
    page = parse(site / "papers" / f"{document_id}.html")
    work_links = [h for h in page.hrefs if h.startswith("#work-")]
    assert work_links and all(h[1:] in page.ids for h in work_links)


def test_a_paper_whose_text_is_closed_shows_records_and_no_text(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(REPO_ROOT / "data", package / "data")
    shutil.copy(REPO_ROOT / "datapackage.json", package / "datapackage.json")
    documents_path = package / "data" / "parquet" / "documents.parquet"
    closed = pl.read_parquet(documents_path).with_columns(pl.lit(False).alias("full_text_published"))
    closed.write_parquet(documents_path)
    site = build_site(package, tmp_path / "site")
    document_id = closed["document_id"][0]
    html = (site / "papers" / f"{document_id}.html").read_text(encoding="utf-8")
    paragraphs = pl.read_parquet(package / "data" / "parquet" / "paragraphs.parquet")
    assert 'id="text"' not in html and "not published" in html
    assert not any(p in html for p in paragraphs["text"].to_list() if p and len(p) > 60)
    assert page_data(site / "papers" / f"{document_id}.html")["rows"]["claims"]


def test_the_site_of_the_committed_package_builds_within_ten_cpu_seconds(tmp_path):
    started = time.process_time()
    build_site(REPO_ROOT, tmp_path / "site")
    assert time.process_time() - started < 10


# --- in the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail("CI runs the browser tests: .ci/run installs chromium and chromium-driver")
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1400,1000")
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, path: Path) -> None:
    browser.get(path.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def in_view(browser, element_id: str) -> bool:
    return browser.execute_script(
        "var r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top > -2 && r.top < window.innerHeight - 10;",
        element_id,
    )


def test_every_page_loads_without_console_errors(browser, site):
    open_page(browser, site / "index.html")
    for page in sorted((site / "papers").glob("*.html")):
        open_page(browser, page)
        assert browser.find_elements("css selector", "h1")


def test_a_claims_footnote_link_scrolls_to_the_note(browser, site):
    from selenium.webdriver.common.by import By

    claims = pl.read_parquet(REPO_ROOT / "data" / "parquet" / "claims.parquet").filter(
        pl.col("footnote_id").is_not_null()
    )
    claim = claims.row(0, named=True)
    note = {"footnote_id": claim["footnote_id"]}
    note_id, marker_id = note_anchor(note), note_anchor(note, back=True)
    open_page(browser, site / "papers" / f"{claim['document_id']}.html")
    browser.find_element(By.CSS_SELECTOR, f'.hl[data-rec="claims/{claim["claim_id"]}"]:not(.cont)').click()
    panel = browser.find_element(By.ID, "panel")
    assert claim["claim_id"] in panel.text
    shot(browser, "claim-and-record.png")
    assert not in_view(browser, note_id)
    panel.find_element(By.CSS_SELECTOR, f'a[href="#{note_id}"]').click()
    assert browser.execute_script("return location.hash") == f"#{note_id}"
    assert in_view(browser, note_id)
    shot(browser, "note-reached-from-claim.png")
    # and back from the note to its marker in the text
    browser.find_element(By.ID, note_id).find_element(By.CSS_SELECTOR, "a.back").click()
    assert in_view(browser, marker_id)


def test_a_toggle_hides_a_kind_without_moving_the_text(browser, site):
    from selenium.webdriver.common.by import By

    document_id = documents()[0]["document_id"]
    open_page(browser, site / "papers" / f"{document_id}.html")
    claim = browser.find_element(By.CSS_SELECTOR, ".hl.k-claim")
    place = browser.execute_script("return arguments[0].getBoundingClientRect().toJSON()", claim)
    shown = claim.value_of_css_property("background-color")
    browser.find_element(By.CSS_SELECTOR, '.toggles input[data-kind="claim"]').click()
    assert shown != "rgba(0, 0, 0, 0)"
    assert claim.value_of_css_property("background-color") == "rgba(0, 0, 0, 0)"
    assert browser.execute_script("return arguments[0].getBoundingClientRect().toJSON()", claim) == place
    # keyboard: n goes to the next visible highlight (claims are skipped now), Enter shows its record
    browser.find_element(By.TAG_NAME, "body").send_keys("n")
    focused = browser.switch_to.active_element
    assert "hl" in focused.get_attribute("class") and "k-claim" not in focused.get_attribute("class")
    focused.send_keys("\ue007")
    assert browser.find_element(By.ID, "panel").get_attribute("data-rec") == focused.get_attribute("data-rec")
    shot(browser, "claims-hidden.png")


def shot(browser, name: str) -> None:
    folder = Path(SCREENSHOT_DIR or tempfile.mkdtemp(prefix="site-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(folder / name))
    assert (folder / name).stat().st_size > 10_000


def test_crossing_highlights_are_drawn_in_pieces_that_spell_each_span():
    """Two records that cross (an event "signed the treaty in Riga", a claim "the treaty in Riga in 1921"),
    a time expression inside one of them and a note marker inside both."""
    from pipeline.package.site_text import Highlight, render_span

    text = "Litvinov signed the treaty in Riga in 1921, he said."
    spans = [
        Highlight(9, 34, "event", "events/e1", "h1"),
        Highlight(16, 42, "claim", "claims/c1", "h2"),
        Highlight(38, 42, "time expression", "time_expressions/t1", "h3"),
    ]
    spans.sort(key=lambda h: (h.start, -h.end))
    html = render_span(
        text, 0, len(text), spans, [h.start for h in spans], {34: ['<sup class="fnref">7</sup>']}
    )
    page = HighlightText()
    page.feed(html)
    for h in spans:
        assert "".join(page.text[h.record]) == text[h.start : h.end]
    assert (
        html.count('id="h2"') == 1 and 'class="hl k-claim cont"' in html
    )  # the claim goes on after the event
    assert page.stack == []  # every tag closed


def _luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2) of an rgb()/rgba() colour as the browser reports it."""
    values = [float(v) for v in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_kind_keeps_the_text_readable(browser, site):
    """WCAG AA: text on each kind's highlight colour has a contrast ratio of at least 4.5."""
    from selenium.webdriver.common.by import By

    document_id = documents()[0]["document_id"]
    open_page(browser, site / "papers" / f"{document_id}.html")
    kinds = [b.get_attribute("data-kind") for b in browser.find_elements(By.CSS_SELECTOR, ".toggles input")]
    assert len(kinds) >= 5
    for kind in kinds:
        element = browser.find_element(By.CSS_SELECTOR, f'.hl[data-kind="{kind}"]')
        background = element.value_of_css_property("background-color")
        if background == "rgba(0, 0, 0, 0)":
            background = browser.find_element(By.TAG_NAME, "body").value_of_css_property("background-color")
        darker, lighter = sorted((_luminance(background), _luminance(element.value_of_css_property("color"))))
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, kind


def test_the_site_and_database_commands(tmp_path, capsys):
    from pipeline.commands import main

    assert main(["--root", str(REPO_ROOT), "site", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert main(["--root", str(REPO_ROOT), "database", "--out", str(tmp_path / "package.duckdb")]) == 0
    assert (tmp_path / "package.duckdb").is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["--root", str(REPO_ROOT), "site", str(tmp_path / "other")]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "other" / "notes.txt").is_file()
