"""Reader site benchmark: CPU seconds to write the site of a package, and every page opened in Chromium.

Run: ``.venv/bin/python benchmarks/bench_site.py [PACKAGE_ROOT] [--browser]`` (default: this repository's
committed package). Targets (issue 35): 10 s for the committed package, 60 s for the 354-paper dev corpus
(built as in the developers' guide). The figure is CPU time of this process (the machine is shared, so
wall time says little). With ``--browser`` every page is then opened in headless Chromium (Debian's
chromium and chromium-driver) and its console errors are counted; the site is written to a temporary folder.
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


def check_pages(site: Path) -> tuple[int, list[str]]:
    """Open the index and every paper page; the pages with console errors, with the first error."""
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
            errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            if errors or not driver.find_elements("css selector", "h1"):
                failed.append(f"{page.name}: {errors[:1]}")
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
                f"{len(failed)} with console errors"
            )
            for line in failed[:20]:
                print(f"    {line}")


if __name__ == "__main__":
    main()
