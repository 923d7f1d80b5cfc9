"""How a speaker the claims rules found is named and told apart: a bare body or document word with what
qualifies it ("His Majesty's Government", "Article 17 of the Civil Code"), a body's official ("Foreign Office
official"), a role's nationality ("The British Ambassador" is no topic of another nation), and whether a
document's sender is a body or a person ("British Embassy", "E. M. House").
"""

from __future__ import annotations

import re

from pipeline.extract.claim_context import Context, candidates_between
from pipeline.extract.claim_speakers import Candidate, body_word
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
# A capitalised possessor inside a document phrase ("the Tsung-li Yamên’s memorial", "the Council's reply").
POSSESSOR = re.compile(r"((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)[’']s?\s")


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


# Single words of the offices and ranks that stand before names ("Lieutenant", "Minister", "President").
TITLE_WORDS = frozenset(
    word for title in load_words("person_titles") for word in title.split() if word[:1].isupper()
) - {"Foreign", "Vice", "Under", "Assistant", "Acting", "Deputy", "General", "High", "Prime", "Field"}


def other_title(role: str, antecedent: str, resolved_name: str | None) -> bool:
    """ "... Lieutenant Commander Blandy ... The Foreign Minister has told me": a role whose office word the
    topic does not carry, when the topic carries an office of its own, is another holder ("Mr. Hull ... the
    Secretary" stays Hull: "Mr." is no office)."""
    head = role.split()[-1]
    seen = set(f"{antecedent} {resolved_name or ''}".split())
    return head in TITLE_WORDS and bool(seen & TITLE_WORDS) and head not in seen


def other_nation(role: str, antecedent: str, resolved_name: str | None) -> bool:
    """ "The British Ambassador has informed Wilson": a role qualified by a nationality is that nation's
    office holder, not a topic that does not carry the same nationality ("Wilson", "the Italian Minister")."""
    nations = [word for word in re.findall(r"[A-Z][a-z]+", role) if word in NATIONALITIES]
    if not nations:
        return False
    seen = f"{antecedent} {resolved_name or ''}"
    return not all(nation in seen for nation in nations)


def document_owner(ctx: Context, document: re.Match[str]) -> Candidate | None:
    """The possessor inside a lead-in's document ("words from the Tsung-li Yamên's memorial:", "In
    Paragraph 7 of the Council's reply, the following statement is made:")."""
    for candidate in candidates_between(ctx, document.start(), document.end()):
        if candidate.kind in ("person", "organisation") and re.match(
            r"[’']s?\s", ctx.masked[candidate.end : candidate.end + 3]
        ):
            return candidate
    owner = POSSESSOR.search(ctx.masked, document.start(), document.end())
    if owner is None or owner.group(1) in ("The", "This", "That", "His", "Her", "Its", "Their"):
        return None
    words = owner.group(1).split()
    kind = "organisation" if any(body_word(word) for word in words) else "person"
    return Candidate(owner.start(1), owner.end(1), owner.group(1), "name", kind=kind, name=owner.group(1))


def sender_type(name: str | None, sender_id: str | None = None) -> str:
    """A sender is a body when the head of its name, before any "of", ends in a body word ("The Exports
    Council", "British Embassy", "Rubber Association of America"); "Secretary of the Navy" is a person, and
    so is a name with initials or linked to a person ("E. M. House")."""
    if sender_id and "person:" in sender_id:
        return "person"
    head = re.split(r"\s+of\s+|,", name or "", maxsplit=1)[0].split()
    if not head or any(re.fullmatch(r"[A-Z]\.", word) for word in head):
        return "person"
    return "organisation" if body_word(head[-1]) == "organisation" else "person"
