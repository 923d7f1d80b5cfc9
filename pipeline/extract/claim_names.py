"""How a speaker the claims rules found is named and told apart: a bare body or document word with what
qualifies it ("His Majesty's Government", "Article 17 of the Civil Code"), a body's official ("Foreign Office
official"), and a role's nationality ("The British Ambassador" is no topic of another nation).
"""

from __future__ import annotations

import re

from pipeline.extract.claim_speakers import Candidate
from pipeline.vocab import load_words

BODY_OWNER = re.compile(
    r"(?:\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur|[Yy]our|[Tt]his|[Ii]ts)"
    r"|(?:\b(?:His|Her)[ \t]+)?\b[A-Z]\w*[’']s)[ \t]+$"
)
DOCUMENT_PARTS = frozenset({"Article", "Section", "Paragraph", "Clause", "Chapter", "Rule"})
DOCUMENT_PART_TAIL = re.compile(
    r"[ \t]+(?:No\.[ \t]*)?[\dIVXLC]+\w*"
    r"(?:[ \t]+of[ \t]+(?:the[ \t]+|said[ \t]+)?(?:[A-Z][\w.’'-]*[ \t]*|of[ \t]+|\d{4}[ \t]*)+)?"
)
BODY_MEMBER = re.compile(r"[ \t]+(officials?|spokesman|spokesmen|representatives?|delegates?|agents?)\b")
NATIONALITIES = frozenset(load_words("nationalities"))


def body_member(text: str, candidate: Candidate) -> tuple[str, str] | None:
    """ "Foreign Office official informs me": the official speaks, one of the body's people (kind, name)."""
    member = BODY_MEMBER.match(text, candidate.end)
    if member is None:
        return None
    kind = "group" if member.group(1).endswith("s") else "person"
    return kind, text[candidate.start : member.end()]


def qualified_body_name(text: str, candidate: Candidate, kind: str, name: str) -> str:
    """A bare body or document word named with what qualifies it in the text: "His Majesty's Government",
    "my Government", "this Government" (whose they are), "Article 17 of the Civil Code" (which article)."""
    if kind == "organisation" and " " not in name:
        owner = BODY_OWNER.search(text, max(0, candidate.start - 40), candidate.start)
        return f"{owner.group().strip()} {name}" if owner else name
    if kind == "document" and name in DOCUMENT_PARTS:
        tail = DOCUMENT_PART_TAIL.match(text, candidate.end)
        return text[candidate.start : tail.end()].rstrip(" ,") if tail else name
    return name


def other_nation(role: str, antecedent: str, resolved_name: str | None) -> bool:
    """ "The British Ambassador has informed Wilson": a role qualified by a nationality is that nation's
    office holder, not a topic that does not carry the same nationality ("Wilson", "the Italian Minister")."""
    nations = [word for word in re.findall(r"[A-Z][a-z]+", role) if word in NATIONALITIES]
    if not nations:
        return False
    seen = f"{antecedent} {resolved_name or ''}"
    return not all(nation in seen for nation in nations)
