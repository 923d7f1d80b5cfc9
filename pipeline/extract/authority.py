"""The curated authority file of people, organisations and places: loading, checking and publishing it.

The authority file (``authority/*.yaml``) is data, not code: each entity has a stable ID, a preferred name,
the surface forms it goes by and, for role phrases such as "the commissar", the years and context in which
the phrase refers to it. Loading checks that IDs are unique, types known and that no name form is claimed
by two entities unless it is a shared surname; ``entities.py`` links a paper's text to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.paths import AUTHORITY_DIR
from pipeline.vocab import load_yaml

ENTITY_TYPES = ("person", "organisation", "place")
ID_PATTERN = re.compile(r"^(person|org|place):[a-z0-9][a-z0-9-]*$")


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
    documents: tuple[str, ...] = ()


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
        documents=_as_tuple(raw.get("documents")),
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
    """Index every form; a form shared by entities is an error unless it is a surname (one default at most).

    A shared surname needs no default: where several of its persons are in play in a paper and none was
    just named, the mention is reported as ambiguous rather than guessed.
    """
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
        if not all_surnames or len(defaults) > 1:
            named = ", ".join(f"{e.entity_id} ({e.source_file})" for e in owners)
            rule = "mark at most one with surname_default: true" if all_surnames else "keep it on one entry"
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
    if not path.exists():
        raise AuthorityError(
            f"{path}: no authority folder; create it with the persons, organisations and places files "
            "(copy authority/ from the repository to start)"
        )
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise AuthorityError(f"{path}: no authority files (*.yaml)")
    return files


def load_authority(path_or_dir: str | Path = AUTHORITY_DIR) -> Authority:
    """Load and check the authority file(s): unique IDs, known types, no unresolvable shared names."""
    entities: dict[str, Entity] = {}
    for file in _authority_files(path_or_dir):
        raw = load_yaml(file.read_text(encoding="utf-8")) or {}
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
