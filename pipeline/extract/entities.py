"""People, organisations and places: a curated authority file and rule-based mention linking.

The authority file (``authority/*.yaml``) is data, not code: each entity has a stable ID, a preferred name,
the surface forms it goes by and, for role phrases such as "the commissar", the years and context in which
the phrase refers to it. Statistical taggers mislabel Russian surnames as places, so linking here is rules
plus the authority file: every name form is matched case-sensitively on word boundaries, the longest form
wins, and what looks like a person's name but is not in the file is reported in ``unlinked_names``.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.paths import AUTHORITY_DIR

ENTITY_TYPES = ("person", "organisation", "place")
ID_PATTERN = re.compile(r"^(person|org|place):[a-z0-9][a-z0-9-]*$")

CONFIDENCE = {
    "full_name": 0.99,
    "title": 0.99,
    "initials": 0.97,
    "surname": 0.95,
    "alias": 0.9,
    "possessive": 0.95,
    "role": 0.8,
    "pronoun": 0.6,
    "name": 0.95,
}
SHARED_SURNAME_PENALTY = 0.1

# Generic English titles that may stand before a person's name; an optional nationality adjective may precede.
TITLE_BEFORE_NAME = re.compile(
    r"(?:\b(?:British|French|German|Soviet|American|Polish|Italian|Japanese|Chinese|Russian|U\.S\.)\s+)?"
    r"\b(?:President|Vice President|Prime Minister|Foreign Minister|Foreign Secretary|"
    r"(?:Under |Assistant )?Secretary of (?:State|War|the Treasury|Commerce)|Secretary|Ambassador|"
    r"Colonel|General|Admiral|Marshal|Commissar|Premier|Chancellor|Senator|Governor|Professor|"
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Lord|Lady|King|Queen|Tsar|Czar|Emperor)\s+$"
)
POSSESSIVE = re.compile(r"^['’]s?(?!\w)")
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er)\b")
ANTECEDENT_SENTENCES = 2
# "the president of the Chamber of Commerce" names another office than the bare role phrase.
QUALIFIED_ROLE = re.compile(r"\s+of\s")

# Capitalised words that start or fill capitalised sequences without being parts of personal names.
NON_NAME_WORDS = frozenset(
    """
    A An The This That These Those In On At Of For From To By With Without As And But Or Nor Yet So If When
    While Where Why How What Who Whom Which Although Though Because Since Until After Before During Under
    Over Between Among Thus Indeed Meanwhile However Moreover Nevertheless Finally Rather Even Only Most More
    Both Neither Either Each Every Some Any No Not Unlike Like Early Later Soon Several Three Four Two One
    It He She They We I His Her Their Our Its Toward Towards Once Again Then Here There Speaking Writing
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Soviet Soviets Russian Russians American Americans British English French German Germans Polish Poles
    Italian Japanese Chinese Jewish European Western Eastern Northern Southern West East North South
    Union States United Kingdom Republic Empire Nations League Party Communist Bolshevik Bolsheviks
    Marxist Marxism Leninism Revolution Revolutionary War Cold World Great Depression Coalition Alliance
    Department Ministry Commissariat Archives Archive Papers Library University Press Institute Institution
    Academy Studies Review Journal Times Telegraph Record Group Box Microfilm Publication Number National
    Foreign Affairs Relations Policy Documents Letter Letters Memo Interview Dispatch Hereafter Ibid See
    Conference Commission Chamber Commerce Office Council Committee Army Navy Government Congress Senate
    Court State Secretary President Prime Minister Ambassador Colonel General Commissar Professor Mr Mrs
    New York Old Street Harbor Islands Island Sea River City Central Castle Square Palace House White
    Kremlin Politburo Comintern Nazi Nazis Tsarist Kerenskii Franco Anglo Pan Grand Leader Drama Origins
    Decisions Struggle Collective Security Memoir Destruction Special Envoy Complete Correspondence
    Regarding Entitled Organization International Leningrad Zvezda Pravda Was Now Because Why
    """.split()
)
INITIALS_NAME = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}(?:[A-Z][a-z]+\s)?[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?")
MIDDLE_INITIAL_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+\s(?:[A-Z]\.\s){1,2}[A-Z][a-z]{2,}")
TITLE_CUE_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Professor|President|Colonel|General|Ambassador|Senator|Sir|Lord|Lady)\.?"
    r"\s(?:[A-Z]\.\s?)*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?"
)
CAPITALISED_SEQUENCE = re.compile(r"(?<![\w.’'-])[A-Z][a-z]+(?:\s[A-Z][a-z]+){1,2}(?![\w’'-])")


class AuthorityError(ValueError):
    """The authority file is inconsistent; the message names the file and the entry."""


@dataclass(frozen=True)
class Role:
    """A role phrase that refers to an entity inside a year range and/or after it was named."""

    phrase: str
    year_from: int | None = None
    year_to: int | None = None
    requires_antecedent: bool = False

    def fits_year(self, year: int | None) -> bool:
        if year is None:
            return self.year_from is None and self.year_to is None
        return (self.year_from is None or year >= self.year_from) and (
            self.year_to is None or year <= self.year_to
        )


@dataclass(frozen=True)
class Entity:
    """One curated entity: who or what it is, and the forms it goes by."""

    entity_id: str
    entity_type: str
    name: str
    description: str
    source_file: str
    wikidata: str | None = None
    gender: str | None = None
    surname: str | None = None
    given_names: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    surname_alone: bool = True
    surname_default: bool = False
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class NameForm:
    """A surface form and what it links to; several entities may share a bare surname."""

    form: str
    entity_id: str
    kind: str


@dataclass
class Authority:
    """The loaded authority: entities by ID, the name-form index and role phrases."""

    entities: dict[str, Entity]
    forms: dict[str, list[NameForm]] = field(default_factory=dict)
    roles: dict[str, list[tuple[str, Role]]] = field(default_factory=dict)
    _name_regex: re.Pattern[str] | None = None
    _role_regex: re.Pattern[str] | None = None

    @property
    def name_regex(self) -> re.Pattern[str]:
        if self._name_regex is None:
            self._name_regex = _alternation(self.forms, flags=0)
        return self._name_regex

    @property
    def role_regex(self) -> re.Pattern[str] | None:
        if self._role_regex is None and self.roles:
            self._role_regex = _alternation(self.roles, flags=re.IGNORECASE)
        return self._role_regex


def normalise_form(text: str) -> str:
    """One key for spelling variants of the same form: curly apostrophes, spaces after initials."""
    text = text.replace("’", "'")
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(?<=\b[A-Z]\.) (?=[A-Z]\.)", "", text)


def _form_pattern(form: str) -> str:
    """A regex for a form that tolerates line-wrapped spaces and "R.C."/"R. C." spacing."""
    parts = []
    for token in re.split(r"(\s+)", form):
        if token.isspace():
            parts.append(r"\s+")
        else:
            escaped = re.escape(token.replace("’", "'")).replace("'", "['’]")
            parts.append(re.sub(r"\\\.(?=[A-Z])", r"\\.\\s?", escaped))
    return "".join(parts)


def _alternation(keys: dict[str, Any], flags: int) -> re.Pattern[str]:
    patterns = [_form_pattern(key) for key in sorted(keys, key=lambda k: (-len(k), k))]
    return re.compile(r"(?<![\w.\-])(?:" + "|".join(patterns) + r")(?![\w])", flags)


def _as_tuple(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(x) for x in raw)


def _parse_role(source: str, entity_id: str, raw: Any) -> Role:
    if not isinstance(raw, dict) or "phrase" not in raw:
        raise AuthorityError(f"{source}: entry {entity_id!r}: each role needs a 'phrase'")
    return Role(
        phrase=str(raw["phrase"]),
        year_from=raw.get("from"),
        year_to=raw.get("to"),
        requires_antecedent=bool(raw.get("requires_antecedent", False)),
    )


def _parse_entity(source: str, entity_type: str, raw: dict[str, Any]) -> Entity:
    entity_id = raw.get("id")
    if not entity_id or not ID_PATTERN.match(str(entity_id)):
        raise AuthorityError(f"{source}: entry {raw!r} needs an id like 'person:surname-given'")
    for key in ("name", "description"):
        if not raw.get(key):
            raise AuthorityError(f"{source}: entry {entity_id!r} lacks {key!r}")
    wikidata = raw.get("wikidata") or None
    if wikidata and not re.fullmatch(r"Q\d+", str(wikidata)):
        raise AuthorityError(f"{source}: entry {entity_id!r}: wikidata {wikidata!r} is not a QID")
    variants = _as_tuple(raw.get("variants")) + _as_tuple(raw.get("names"))
    return Entity(
        entity_id=str(entity_id),
        entity_type=entity_type,
        name=str(raw["name"]),
        description=" ".join(str(raw["description"]).split()),
        source_file=source,
        wikidata=str(wikidata) if wikidata else None,
        gender=raw.get("gender"),
        surname=raw.get("surname"),
        given_names=_as_tuple(raw.get("given_names")),
        variants=variants,
        aliases=_as_tuple(raw.get("aliases")),
        surname_alone=bool(raw.get("surname_alone", True)),
        surname_default=bool(raw.get("surname_default", False)),
        roles=tuple(_parse_role(source, str(entity_id), r) for r in raw.get("roles") or ()),
    )


def _person_forms(entity: Entity) -> list[NameForm]:
    """Derived forms: 'Given Surname', 'G. Surname', the bare surname; then the curated ones."""
    forms = [NameForm(entity.name, entity.entity_id, "full_name")]
    if entity.surname:
        for given in entity.given_names:
            forms.append(NameForm(f"{given} {entity.surname}", entity.entity_id, "full_name"))
            forms.append(NameForm(f"{given[0]}. {entity.surname}", entity.entity_id, "initials"))
            forms.append(NameForm(f"{entity.surname}, {given}", entity.entity_id, "full_name"))
        if entity.surname_alone:
            forms.append(NameForm(entity.surname, entity.entity_id, "surname"))
    for variant in entity.variants:
        kind = "initials" if re.match(r"^(?:[A-Z]\.\s?)+", variant) else "full_name"
        forms.append(NameForm(variant, entity.entity_id, kind))
    forms += [NameForm(alias, entity.entity_id, "alias") for alias in entity.aliases]
    return forms


def _entity_forms(entity: Entity) -> list[NameForm]:
    if entity.entity_type == "person":
        return _person_forms(entity)
    return [NameForm(entity.name, entity.entity_id, "name")] + [
        NameForm(v, entity.entity_id, "name") for v in entity.variants
    ]


def _index_forms(entities: dict[str, Entity]) -> dict[str, list[NameForm]]:
    """Index every form; a form shared by entities is an error unless it is a surname with one default."""
    index: dict[str, dict[str, NameForm]] = defaultdict(dict)
    for entity in entities.values():
        for form in _entity_forms(entity):
            index[normalise_form(form.form)].setdefault(entity.entity_id, form)
    for key, claims in index.items():
        if len(claims) < 2:
            continue
        owners = [entities[e] for e in claims]
        all_surnames = all(f.kind == "surname" for f in claims.values())
        defaults = [e for e in owners if e.surname_default]
        if not all_surnames or len(defaults) != 1:
            named = ", ".join(f"{e.entity_id} ({e.source_file})" for e in owners)
            rule = "mark exactly one with surname_default: true" if all_surnames else "keep it on one entry"
            raise AuthorityError(f"name form {key!r} is claimed by {named}; {rule}")
    return {key: list(claims.values()) for key, claims in index.items()}


def _index_roles(entities: dict[str, Entity]) -> dict[str, list[tuple[str, Role]]]:
    roles: dict[str, list[tuple[str, Role]]] = defaultdict(list)
    for entity in entities.values():
        for role in entity.roles:
            roles[normalise_form(role.phrase).lower()].append((entity.entity_id, role))
    for phrase, claims in roles.items():
        bare = [
            e for e, r in claims if r.year_from is None and r.year_to is None and not r.requires_antecedent
        ]
        if len(claims) > 1 and bare:
            raise AuthorityError(
                f"role {phrase!r} is shared by {[e for e, _ in claims]} but {bare} gives no year range or "
                "antecedent rule to tell them apart"
            )
    return dict(roles)


def _authority_files(path_or_dir: str | Path) -> list[Path]:
    path = Path(path_or_dir)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise AuthorityError(f"{path}: no authority files (*.yaml)")
    return files


def load_authority(path_or_dir: str | Path = AUTHORITY_DIR) -> Authority:
    """Load and check the authority file(s): unique IDs, known types, no unresolvable shared names."""
    entities: dict[str, Entity] = {}
    for file in _authority_files(path_or_dir):
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        entity_type = raw.get("entity_type")
        if entity_type not in ENTITY_TYPES:
            raise AuthorityError(
                f"{file.name}: entity_type must be one of {ENTITY_TYPES}, not {entity_type!r}"
            )
        for item in raw.get("entities") or []:
            entity = _parse_entity(file.name, entity_type, item)
            if entity.entity_id in entities:
                other = entities[entity.entity_id].source_file
                raise AuthorityError(f"{file.name}: duplicate id {entity.entity_id!r} (also in {other})")
            entities[entity.entity_id] = entity
    return Authority(entities=entities, forms=_index_forms(entities), roles=_index_roles(entities))


def authority_tables(authority: Authority) -> dict[str, pl.DataFrame]:
    """The published authority: ``entities`` (one row per entity) and ``entity_names`` (one row per form)."""
    entity_rows = [
        {
            "entity_id": e.entity_id,
            "entity_type": e.entity_type,
            "preferred_name": e.name,
            "surname": e.surname,
            "gender": e.gender,
            "wikidata_qid": e.wikidata,
            "description": e.description,
        }
        for e in authority.entities.values()
    ]
    name_rows = []
    for entity in authority.entities.values():
        seen: set[tuple[str, str]] = set()
        for form in _entity_forms(entity):
            key = (form.form, form.kind)
            if key not in seen:
                seen.add(key)
                name_rows.append({"entity_id": entity.entity_id, "name": form.form, "name_kind": form.kind})
        for role in entity.roles:
            name_rows.append(
                {
                    "entity_id": entity.entity_id,
                    "name": role.phrase,
                    "name_kind": "role",
                    "valid_from_year": role.year_from,
                    "valid_to_year": role.year_to,
                    "requires_antecedent": role.requires_antecedent,
                }
            )
    names = pl.DataFrame(
        name_rows,
        schema={
            "entity_id": pl.String,
            "name": pl.String,
            "name_kind": pl.String,
            "valid_from_year": pl.Int64,
            "valid_to_year": pl.Int64,
            "requires_antecedent": pl.Boolean,
        },
    ).with_columns(pl.col("requires_antecedent").fill_null(False))
    return {"entities": pl.DataFrame(entity_rows), "entity_names": names}


@dataclass
class _Unit:
    """A sentence of the body or a note: the scope for antecedents and for reporting a location."""

    start: int
    end: int
    sentence_id: str | None
    footnote_id: str | None
    group: str
    index: int


@dataclass
class _Mention:
    start: int
    end: int
    entity_id: str
    kind: str
    confidence: float
    unit: _Unit | None


def _units(sentences: pl.DataFrame, footnotes: pl.DataFrame) -> list[_Unit]:
    units = [
        _Unit(r["char_start"], r["char_end"], r["sentence_id"], None, r["paragraph_id"], 0)
        for r in sentences.select("char_start", "char_end", "sentence_id", "paragraph_id").iter_rows(
            named=True
        )
    ]
    notes = footnotes.filter(pl.col("char_start").is_not_null() & pl.col("char_end").is_not_null())
    units += [
        _Unit(r["char_start"], r["char_end"], None, r["footnote_id"], r["footnote_id"], 0)
        for r in notes.select("char_start", "char_end", "footnote_id").iter_rows(named=True)
    ]
    units.sort(key=lambda u: u.start)
    for index, unit in enumerate(units):
        unit.index = index
    return units


class _Locator:
    """Find the sentence or note that contains an offset."""

    def __init__(self, units: list[_Unit]) -> None:
        self.units = units
        self.starts = [u.start for u in units]

    def __call__(self, offset: int) -> _Unit | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.units[i].end:
            return self.units[i]
        return None


def _with_title(text: str, start: int) -> tuple[int, bool]:
    """Extend a name match leftwards over a title such as 'President' or 'Secretary of State'."""
    window = text[max(0, start - 60) : start]
    title = TITLE_BEFORE_NAME.search(window)
    if title:
        return start - (len(window) - title.start()), True
    return start, False


def _pick(claims: list[NameForm], authority: Authority, named_before: list[str]) -> tuple[NameForm, float]:
    """Resolve a shared surname: the sharer named last in this paragraph or note, else the default."""
    if len(claims) == 1:
        return claims[0], 0.0
    by_entity = {c.entity_id: c for c in claims}
    for entity_id in reversed(named_before):
        if entity_id in by_entity:
            return by_entity[entity_id], SHARED_SURNAME_PENALTY / 3
    default = next(c for c in claims if authority.entities[c.entity_id].surname_default)
    return default, SHARED_SURNAME_PENALTY


def _name_mentions(text: str, authority: Authority, locate: _Locator) -> list[_Mention]:
    mentions: list[_Mention] = []
    named_in_group: dict[str, list[str]] = defaultdict(list)
    for match in authority.name_regex.finditer(text):
        claims = authority.forms.get(normalise_form(match.group()))
        if not claims:
            continue
        unit = locate(match.start())
        group = unit.group if unit is not None else ""
        form, penalty = _pick(claims, authority, named_in_group[group])
        named_in_group[group].append(form.entity_id)
        start, end, kind = match.start(), match.end(), form.kind
        if authority.entities[form.entity_id].entity_type == "person":
            start, titled = _with_title(text, start)
            if titled:
                kind = "title"
            elif POSSESSIVE.match(text[end : end + 3]):
                kind = "possessive"
        confidence = round(CONFIDENCE[kind] - penalty, 2)
        mentions.append(_Mention(start, end, form.entity_id, kind, confidence, unit))
    return mentions


class _Years:
    """Positions of the years written in the text, to find the last one before an offset quickly."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), int(m.group())) for m in YEAR.finditer(text)]
        self.starts = [start for start, _ in found]
        self.values = [value for _, value in found]

    def before(self, offset: int, unit: _Unit | None) -> int | None:
        """The last year written before the offset (within the note when the mention is in a note)."""
        floor = unit.start if unit is not None and unit.footnote_id else 0
        i = bisect.bisect_left(self.starts, offset) - 1
        return self.values[i] if i >= 0 and self.starts[i] >= floor else None


def _by_unit(mentions: list[_Mention]) -> dict[int, list[_Mention]]:
    grouped: dict[int, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.unit is not None:
            grouped[mention.unit.index].append(mention)
    return grouped


def _recent_entities(
    by_unit: dict[int, list[_Mention]], unit: _Unit, units: list[_Unit], before: int
) -> set[str]:
    """Entities named (not by pronoun) in this paragraph or note, this sentence and the ones just before."""
    first = max(0, unit.index - ANTECEDENT_SENTENCES)
    scope = [u.index for u in units[first : unit.index + 1] if u.group == unit.group]
    return {m.entity_id for i in scope for m in by_unit.get(i, []) if m.end <= before and m.kind != "pronoun"}


def _role_candidates(claims: list[tuple[str, Role]], recent: set[str], year: int | None) -> list[str]:
    """Who a role phrase can mean: a claimant named just before wins; else the year decides.

    A named antecedent is stronger evidence than the last year written, which may be about something else.
    """
    named = [(entity_id, role) for entity_id, role in claims if entity_id in recent]
    if len({e for e, _ in named}) == 1:
        return [named[0][0]]
    pool = named or [(e, r) for e, r in claims if not r.requires_antecedent]
    return sorted({e for e, r in pool if r.fits_year(year)})


def _role_mentions(
    text: str, authority: Authority, locate: _Locator, units: list[_Unit], named: list[_Mention]
) -> list[_Mention]:
    regex = authority.role_regex
    if regex is None:
        return []
    taken = sorted((m.start, m.end) for m in named if authority.entities[m.entity_id].entity_type == "person")
    taken_starts = [start for start, _ in taken]
    by_unit = _by_unit(named)
    years = _Years(text)
    mentions = []
    for match in regex.finditer(text):
        i = bisect.bisect_left(taken_starts, match.end())
        if any(s < match.end() and match.start() < e for s, e in taken[max(0, i - 3) : i]):
            continue
        unit = locate(match.start())
        if unit is None or QUALIFIED_ROLE.match(text, match.end()):
            continue
        claims = authority.roles[normalise_form(match.group()).lower()]
        recent = _recent_entities(by_unit, unit, units, match.start())
        year = years.before(match.start(), unit)
        fitting = _role_candidates(claims, recent, year)
        if len(fitting) == 1:
            mentions.append(
                _Mention(match.start(), match.end(), fitting[0], "role", CONFIDENCE["role"], unit)
            )
    return mentions


def _inside_quote(text: str, unit: _Unit, offset: int) -> bool:
    before = text[unit.start : offset]
    straight = before.count('"') % 2 == 1
    curly = before.rfind("“") > before.rfind("”")
    return straight or curly


def _pronoun_mentions(
    text: str, authority: Authority, units: list[_Unit], named: list[_Mention]
) -> list[_Mention]:
    """Link he/his/she/her only when one person of that gender is in play in this and the previous sentence.

    Persons already resolved from pronouns in the window count too, so a second candidate blocks the link.
    """
    mentions: list[_Mention] = []
    by_unit = _by_unit(named)
    resolved: dict[int, list[_Mention]] = defaultdict(list)
    for unit in units:
        if unit.footnote_id:
            continue
        window = {u.index for u in units[max(0, unit.index - 1) : unit.index + 1] if u.group == unit.group}
        for match in PRONOUN_RE.finditer(text, unit.start, unit.end):
            if _inside_quote(text, unit, match.start()):
                continue
            gender = PRONOUNS[match.group().lower()]
            earlier = [m for i in window for m in by_unit.get(i, []) if m.end <= match.start()]
            earlier += [m for i in window for m in resolved.get(i, [])]
            candidates = {m.entity_id for m in earlier if authority.entities[m.entity_id].gender == gender}
            if len(candidates) == 1:
                entity_id = candidates.pop()
                pronoun = _Mention(
                    match.start(), match.end(), entity_id, "pronoun", CONFIDENCE["pronoun"], unit
                )
                mentions.append(pronoun)
                resolved[unit.index].append(pronoun)
    return mentions


def _unlinked(
    text: str, authority: Authority, locate: _Locator, linked: list[_Mention], titles: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Person-like names not in the authority file, so a curator can add them.

    Capitalised word runs inside italics (titles of works, foreign phrases) are not reported; initials are.
    """
    spans = sorted((m.start, m.end) for m in linked if m.kind != "pronoun")
    starts = [s for s, _ in spans]
    known = {normalise_form(f) for f in authority.forms}
    found: dict[tuple[int, int], str] = {}

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)
        return any(s < end and start < e for s, e in spans[max(0, i - 3) : i])

    def consider(start: int, end: int, reason: str) -> None:
        surface = text[start:end]
        if overlaps(start, end) or normalise_form(surface) in known or (start, end) in found:
            return
        found[(start, end)] = reason

    for match in INITIALS_NAME.finditer(text):
        consider(match.start(), match.end(), "initials")
    for match in MIDDLE_INITIAL_NAME.finditer(text):
        consider(match.start(), match.end(), "middle_initial")
    for match in TITLE_CUE_NAME.finditer(text):
        consider(match.start(), match.end(), "title_cue")
    for match in CAPITALISED_SEQUENCE.finditer(text):
        words = match.group().split()
        in_title = any(s <= match.start() and match.end() <= e for s, e in titles)
        if not in_title and not any(w in NON_NAME_WORDS for w in words):
            consider(match.start(), match.end(), "capitalised_sequence")
    rows = []
    for (start, end), reason in sorted(found.items()):
        unit = locate(start)
        rows.append(
            {
                "char_start": start,
                "char_end": end,
                "text": text[start:end],
                "reason": reason,
                "sentence_id": unit.sentence_id if unit else None,
                "footnote_id": unit.footnote_id if unit else None,
            }
        )
    return rows


def _drop_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    """Keep the earliest, then longest, of overlapping mentions (a title-extended name wins over a role)."""
    kept: list[_Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


MENTION_SCHEMA = {
    "mention_id": pl.String,
    "document_id": pl.String,
    "entity_id": pl.String,
    "entity_type": pl.String,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
    "text": pl.String,
    "sentence_id": pl.String,
    "footnote_id": pl.String,
    "match_kind": pl.String,
    "confidence": pl.Float64,
}
UNLINKED_SCHEMA = {
    "unlinked_id": pl.String,
    "document_id": pl.String,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
    "text": pl.String,
    "reason": pl.String,
    "sentence_id": pl.String,
    "footnote_id": pl.String,
}


def _italics(emphasis_spans: pl.DataFrame | None) -> list[tuple[int, int]]:
    if emphasis_spans is None or emphasis_spans.height == 0:
        return []
    italic = emphasis_spans.filter(pl.col("style") == "italic")
    return list(zip(italic["char_start"].to_list(), italic["char_end"].to_list(), strict=True))


def _document_id(sentences: pl.DataFrame, footnotes: pl.DataFrame) -> str:
    for frame in (sentences, footnotes):
        if frame.height:
            return str(frame["document_id"][0])
    raise ValueError("find_mentions needs at least one sentence or footnote to know the document")


def find_mentions(
    document_text: str,
    sentences: pl.DataFrame,
    footnotes: pl.DataFrame,
    authority: Authority,
    emphasis_spans: pl.DataFrame | None = None,
    pronouns: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Link every name, title, role and (conservatively) pronoun to the authority; report unknown names.

    Returns (mentions, unlinked_names), both in text order with IDs "<document_id>:m0001" and
    "<document_id>:u0001". Needs the sentences and footnotes tables of the same cleaned text; the
    optional emphasis_spans keep words of italic titles out of the unlinked-name report.
    """
    document_id = _document_id(sentences, footnotes)
    units = _units(sentences, footnotes)
    locate = _Locator(units)
    named = _name_mentions(document_text, authority, locate)
    named += _role_mentions(document_text, authority, locate, units, named)
    named = _drop_overlaps(named)
    found = named + (_pronoun_mentions(document_text, authority, units, named) if pronouns else [])
    found = _drop_overlaps(found)
    rows = [
        {
            "mention_id": f"{document_id}:m{i:04d}",
            "document_id": document_id,
            "entity_id": m.entity_id,
            "entity_type": authority.entities[m.entity_id].entity_type,
            "char_start": m.start,
            "char_end": m.end,
            "text": document_text[m.start : m.end],
            "sentence_id": m.unit.sentence_id if m.unit else None,
            "footnote_id": m.unit.footnote_id if m.unit else None,
            "match_kind": m.kind,
            "confidence": m.confidence,
        }
        for i, m in enumerate(found, start=1)
    ]
    unlinked = [
        {"unlinked_id": f"{document_id}:u{i:04d}", "document_id": document_id, **row}
        for i, row in enumerate(
            _unlinked(document_text, authority, locate, named, _italics(emphasis_spans)), start=1
        )
    ]
    return pl.DataFrame(rows, schema=MENTION_SCHEMA), pl.DataFrame(unlinked, schema=UNLINKED_SCHEMA)
