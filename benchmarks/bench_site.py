"""Reader site benchmark: CPU seconds to write the site of a package, and every page opened in Chromium.

Run: ``.venv/bin/python benchmarks/bench_site.py [PACKAGE_ROOT] [--browser]`` (default: this repository's
committed package). Targets (issue 35): 10 s for the committed package, 60 s for the 354-paper dev corpus
(built as in the developers' guide). The figure is CPU time of this process (the machine is shared, so
wall time says little). With ``--browser`` every page is then opened in headless Chromium (Debian's
chromium and chromium-driver): its console errors are counted, and in each paper page a toggle must hide
its kind without moving it, and a note marker and a claim's note link must scroll to the note. The site is
written to a temporary folder.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.package.site import build_site

ROOT = Path(__file__).resolve().parent.parent
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


# Run in each paper page: a toggle hides its kind without moving it, a note marker and a claim's note link
# (in the record panel) scroll to the note; returns the problems found.
PAGE_CHECKS = """
var problems = [];
function inView(id) {
  var target = document.getElementById(id);
  if (!target) return false;
  var r = target.getBoundingClientRect();
  return r.top > -2 && r.top < window.innerHeight - 10;
}
var box = document.querySelector('.toggles input');
if (box) {
  var kind = box.getAttribute('data-kind');
  var hl = document.querySelector('.hl[data-kind="' + kind + '"]');
  var before = hl.getBoundingClientRect();
  box.click();
  var style = getComputedStyle(hl);
  if (style.backgroundColor !== 'rgba(0, 0, 0, 0)' ||
      (style.borderBottomStyle !== 'none' && style.borderBottomColor !== 'rgba(0, 0, 0, 0)')) {
    problems.push('toggle ' + kind + ' left it visible');
  }
  var after = hl.getBoundingClientRect();
  if (before.top !== after.top || before.left !== after.left) problems.push('toggle ' + kind + ' moved it');
  box.click();
}
var marker = document.querySelector('sup.fnref a');
if (marker) {
  marker.click();
  if (!inView(marker.getAttribute('href').slice(1))) problems.push('marker did not reach its note');
}
var claims = document.querySelectorAll('.hl.k-claim:not(.cont)');
for (var i = 0; i < claims.length; i++) {
  claims[i].click();
  var link = document.querySelector('#panel a[href^="#fn-"]');
  if (link) {
    link.click();
    if (!inView(link.getAttribute('href').slice(1))) problems.push('claim note link did not scroll');
    break;
  }
}
return problems;
"""


def check_pages(site: Path) -> tuple[int, list[str]]:
    """Open the index and every paper page; the pages with console errors or failed checks."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-profile-')}")
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    failed = []
    pages = [site / "index.html", *sorted((site / "papers").glob("*.html"))]
    try:
        for page in pages:
            driver.get(page.as_uri())
            problems = driver.execute_script(PAGE_CHECKS) if page.parent.name == "papers" else []
            errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            if errors or problems or not driver.find_elements("css selector", "h1"):
                failed.append(f"{page.name}: {errors[:1]} {problems}")
    finally:
        driver.quit()
    return len(pages), failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT, help="package folder")
    parser.add_argument("--browser", action="store_true", help="open every page in headless Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-bench-") as scratch:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        site = build_site(args.root.resolve(), Path(scratch) / "site")
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
        pages = list((site / "papers").glob("*.html"))
        size = sum(p.stat().st_size for p in pages)
        print(f"site of {args.root}: {len(pages)} paper pages, {size / 1e6:.1f} MB")
        print(
            f"  CPU {cpu:.2f} s, wall {wall:.2f} s ({cpu / max(len(pages), 1) * 1000:.1f} ms CPU per paper)"
        )
        if args.browser:
            started = time.perf_counter()
            opened, failed = check_pages(site)
            print(
                f"  Chromium: {opened} pages opened in {time.perf_counter() - started:.0f} s wall, "
                f"{len(failed)} with console errors or failed checks"
            )
            for line in failed[:20]:
                print(f"    {line}")


if __name__ == "__main__":
    main()
