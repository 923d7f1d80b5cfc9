"""Propose Wikidata QIDs for drafted authority entries, with the evidence a curator needs to decide.

Uses Wikidata's public search API (``wbsearchentities``) for users with a network. Nothing is decided
here: a QID is proposed (``proposal.wikidata_proposed``) only when exactly one result's label carries the
entry's given name and surname and its description reads like a person's (years or an occupation); every
plausible result is listed with its label and description. Timeouts and a missing network are reported
per entry, and after the first network failure the remaining entries are not tried.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

SEARCH_API = "https://www.wikidata.org/w/api.php"
USER_AGENT = (
    "history-papers-dataset/0.1 (authority reconcile; https://www.wikidata.org/wiki/Wikidata:Data_access)"
)
TIMEOUT_SECONDS = 10.0
RESULTS = 7
# What a person's description on Wikidata usually shows: a life span, or an occupation.
PERSON_DESCRIPTION = re.compile(
    r"\b(1[5-9]\d\d|20\d\d)\b|\b(?:politician|diplomat|statesman|lawyer|historian|officer|general|soldier|"
    r"businessman|engineer|journalist|writer|economist|banker|admiral|ambassador|official|judge|professor|"
    r"scholar|editor|civil servant|military|revolutionary|nobleman|peer|minister|secretary|senator)\b",
    re.IGNORECASE,
)

Search = Callable[[str], dict[str, Any]]


class ReconcileError(RuntimeError):
    """The search service could not be reached or answered badly."""


def search_wikidata(name: str, timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """One wbsearchentities request (English labels, items only); raises ReconcileError when offline."""
    query = urllib.parse.urlencode(
        {
            "action": "wbsearchentities",
            "search": name,
            "language": "en",
            "uselang": "en",
            "type": "item",
            "limit": RESULTS,
            "format": "json",
        }
    )
    request = urllib.request.Request(f"{SEARCH_API}?{query}", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise ReconcileError(f"Wikidata search for {name!r} failed: {error}") from error


def _label_fits(label: str, entry: dict[str, Any]) -> bool:
    words = set(re.findall(r"[\w'’-]+", label))
    given = entry.get("given_names") or []
    return entry.get("surname") in words and (not given or any(g in words for g in given))


def candidates(response: dict[str, Any], entry: dict[str, Any]) -> list[dict[str, str]]:
    """The search results that may be the entry's person, with the evidence to judge them."""
    found = []
    for result in response.get("search") or []:
        label, description = result.get("label", ""), result.get("description", "")
        if _label_fits(label, entry) and PERSON_DESCRIPTION.search(description or ""):
            found.append(
                {
                    "qid": str(result["id"]),
                    "label": label,
                    "description": description,
                    "url": f"https://www.wikidata.org/wiki/{result['id']}",
                }
            )
    return found


def reconcile_entries(entries: list[dict[str, Any]], search: Search = search_wikidata) -> dict[str, int]:
    """Add Wikidata candidates to each entry's proposal in place; returns counts by outcome."""
    counts = {"proposed": 0, "several": 0, "none": 0, "skipped": 0, "failed": 0}
    offline: str | None = None
    for entry in entries:
        proposal = entry.setdefault("proposal", {})
        if entry.get("wikidata") or not entry.get("given_names"):
            counts["skipped"] += 1
            continue
        if offline:
            proposal["wikidata_error"] = offline
            counts["failed"] += 1
            continue
        try:
            response = search(entry["name"])
        except ReconcileError as error:
            offline = f"not tried: an earlier search failed ({error})"
            proposal["wikidata_error"] = str(error)
            counts["failed"] += 1
            continue
        found = candidates(response, entry)
        proposal["wikidata_candidates"] = found
        if len(found) == 1:
            proposal["wikidata_proposed"] = found[0]["qid"]
            counts["proposed"] += 1
        else:
            counts["several" if found else "none"] += 1
    return counts
