"""Load and validate the skill taxonomy (YAML data) into an immutable, indexed :class:`Taxonomy`.

The bundled files live in ``taxonomy/`` at the top of the repository and ship inside the wheel as
``matcher/_taxonomy``. A user directory (``SKILLMATCH_TAXONOMY_DIR``) is read after them: a skill or title
with a new id is added, one with an existing id replaces ours. Every problem of every file is collected and
raised at once as a :class:`~matcher.errors.TaxonomyError`, each located by file, entry and field.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from matcher.errors import TaxonomyError, TaxonomyProblem
from matcher.normalize import skill_key
from matcher.types import JobTitle, Skill, SkillRequirement

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=80)]
M = TypeVar("M", bound=BaseModel)
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


#: libyaml's safe loader when PyYAML was built with it: ~10x faster on our ~1,000 skills.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_ONET_ID = r"^(tech:.+|[0-9]{2}-[0-9]{4}\.[0-9]{2}|[0-9](\.[A-Za-z0-9]+)+)$"


class ExternalIds(_Strict):
    esco: Annotated[str, StringConstraints(pattern=r"^http://data\.europa\.eu/esco/")] | None = None
    #: an O*NET-SOC code ("15-2051.00"), a content-model element id ("2.B.3.e") or a Technology Skills
    #: example ("tech:TensorFlow")
    onet: Annotated[str, StringConstraints(pattern=_ONET_ID)] | None = None
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[0-9]+$")] | None = None


class CategorySchema(_Strict):
    name: NonEmpty
    description: str = ""


class SkillSchema(_Strict):
    id: Identifier
    name: NonEmpty
    category: Identifier
    kind: Literal["hard", "soft"]
    aliases: list[NonEmpty] = []
    broader: list[Identifier] = []
    related: list[Identifier] = []
    #: Surface forms (the name or aliases) that are also common words: accepted only with context.
    ambiguous: list[NonEmpty] = []
    #: Words that, near an ambiguous form, confirm the skill ("golang", "programming" for Go).
    context: list[NonEmpty] = []
    external: ExternalIds | None = None


class RequirementSchema(_Strict):
    skill: Identifier
    weight: float = Field(gt=0, le=5)


class TitleSchema(_Strict):
    id: Identifier
    name: NonEmpty
    seniority: Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive"]
    alternate_titles: list[NonEmpty] = []
    required: list[RequirementSchema] = Field(min_length=1)
    preferred: list[RequirementSchema] = []
    external: ExternalIds | None = None
    #: the role whatever the level ("ml_engineer" for junior, mid and senior ML engineers); default: the id
    family: Identifier | None = None
    #: families of similar roles: a past title in one of them is partial evidence for this title
    related: list[Identifier] = []
    #: a people-management title: it needs evidence of managing people
    management: bool = False
    #: a neighbour outside the ML and data field (software engineer): ranked, but never an ML fit
    adjacent: bool = False


class FileSchema(_Strict):
    """What one taxonomy file may hold; every key is optional so files can split the data freely."""

    version: NonEmpty | None = None
    categories: dict[Identifier, CategorySchema] = {}
    skills: list[dict[str, Any]] = []
    titles: list[dict[str, Any]] = []


@dataclass(frozen=True)
class Taxonomy:
    """Skills and job titles, indexed by id and by alias key. Build it with :func:`load_taxonomy`."""

    version: str
    categories: Mapping[str, str] = field(repr=False)
    skills: Mapping[str, Skill] = field(repr=False)
    titles: Mapping[str, JobTitle] = field(repr=False)
    #: alias key (see :func:`matcher.normalize.skill_key`) -> skill id
    alias_index: Mapping[str, str] = field(repr=False)
    #: skill id -> ids of the skills whose ``broader`` names it
    narrower: Mapping[str, tuple[str, ...]] = field(repr=False)

    def lookup(self, name: str) -> Skill | None:
        """The skill a name or alias denotes, or None: ``lookup("sklearn").id == "scikit_learn"``."""
        skill_id = self.alias_index.get(skill_key(name))
        return self.skills[skill_id] if skill_id else None

    def ancestors(self, skill_id: str) -> list[str]:
        """Broader skills, nearest first (Keras -> TensorFlow -> deep learning framework -> ...)."""
        seen: list[str] = []
        frontier = list(self.skills[skill_id].broader)
        while frontier:
            current = frontier.pop(0)
            if current not in seen:
                seen.append(current)
                frontier.extend(self.skills[current].broader)
        return seen


def bundled_taxonomy_dir() -> Path:
    """The taxonomy shipped with skillmatch: inside the wheel, or ``taxonomy/`` in a source checkout."""
    packaged = Path(str(files("matcher"))) / "_taxonomy"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "taxonomy"


def load_taxonomy(
    user_dir: Path | None = None, *, bundled_dir: Path | None = None, cache_dir: Path | None = None
) -> Taxonomy:
    """Read, validate and index the bundled taxonomy, extended or overridden by ``user_dir``.

    ``cache_dir`` keeps each YAML file's parsed data as JSON, keyed by the file's content hash: building
    Python objects from YAML is most of the start-up cost of the CLI, and JSON reads ~20x faster. The data is
    still validated on every load. Raises :class:`TaxonomyError` listing every problem of every file.
    """
    base = bundled_dir or bundled_taxonomy_dir()
    problems: list[TaxonomyProblem] = []
    layers = [_read_dir(base, problems, cache_dir)]
    if user_dir is not None:
        if not Path(user_dir).is_dir():
            raise TaxonomyError([TaxonomyProblem(str(user_dir), "-", "", "taxonomy directory not found")])
        layers.append(_read_dir(Path(user_dir), problems, cache_dir))
    suffix = None if user_dir is None else f"local.{_digest(Path(user_dir))}"
    return _build(layers, problems, str(base), suffix)


def taxonomy_to_data(taxonomy: Taxonomy) -> dict[str, Any]:
    """The whole taxonomy as one taxonomy file's data (plain JSON), for :func:`taxonomy_from_data`: what a saved
    spaCy pipeline carries so that it loads with the taxonomy it was built with."""

    def external(ids: Mapping[str, str]) -> dict[str, Any]:
        return {"external": dict(ids)} if ids else {}

    return {
        "version": taxonomy.version,
        "categories": {cid: {"name": name} for cid, name in taxonomy.categories.items()},
        "skills": [
            {
                "id": s.id, "name": s.name, "category": s.category, "kind": s.kind, "aliases": list(s.aliases),
                "broader": list(s.broader), "related": list(s.related), "ambiguous": list(s.ambiguous),
                "context": list(s.context), **external(s.external),
            }
            for s in taxonomy.skills.values()
        ],
        "titles": [
            {
                "id": t.id, "name": t.name, "seniority": t.seniority, "alternate_titles": list(t.alternate_titles),
                "required": [{"skill": r.skill_id, "weight": r.weight} for r in t.required],
                "preferred": [{"skill": r.skill_id, "weight": r.weight} for r in t.preferred],
                "family": t.family, "related": list(t.related), "management": t.management, "adjacent": t.adjacent,
                **external(t.external),
            }
            for t in taxonomy.titles.values()
        ],
    }  # fmt: skip


def taxonomy_from_data(data: Mapping[str, Any], *, source: str = "<data>") -> Taxonomy:
    """A taxonomy from :func:`taxonomy_to_data`'s output, validated like a file; ``TaxonomyError`` if it is not."""
    problems: list[TaxonomyProblem] = []
    try:
        layer = [(source, FileSchema.model_validate(data))]
    except ValidationError as exc:
        raise TaxonomyError(
            [TaxonomyProblem(source, "-", ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        ) from None
    return _build([layer], problems, source, None)


def _build(
    layers: list[list[tuple[str, FileSchema]]], problems: list[TaxonomyProblem], base: str, local: str | None
) -> Taxonomy:
    """One taxonomy from layers of files, later layers adding to and replacing earlier ones; ``local`` is the
    version suffix of a user layer that sets no version of its own."""
    version = ""
    user_version = ""
    categories: dict[str, str] = {}
    skills: dict[str, tuple[str, SkillSchema]] = {}
    titles: dict[str, tuple[str, TitleSchema]] = {}
    for layer_index, layer in enumerate(layers):
        layer_skill_ids: set[str] = set()
        layer_title_ids: set[str] = set()
        for path, data in layer:
            if data.version and layer_index == 0:
                version = data.version
            elif data.version:
                user_version = data.version
            categories.update({cid: c.name for cid, c in data.categories.items()})
            for index, raw in enumerate(data.skills):
                skill = _validate_entry(SkillSchema, raw, path, "skill", index, problems)
                if skill is None:
                    continue
                if skill.id in layer_skill_ids:
                    problems.append(TaxonomyProblem(path, skill.id, "id", "duplicate skill id"))
                layer_skill_ids.add(skill.id)
                skills[skill.id] = (path, skill)
            for index, raw in enumerate(data.titles):
                title = _validate_entry(TitleSchema, raw, path, "title", index, problems)
                if title is None:
                    continue
                if title.id in layer_title_ids:
                    problems.append(TaxonomyProblem(path, title.id, "id", "duplicate title id"))
                layer_title_ids.add(title.id)
                titles[title.id] = (path, title)
    if not version:
        problems.append(TaxonomyProblem(base, "-", "version", "no file sets the taxonomy version"))
    if len(layers) > 1:
        version = f"{version}+{user_version or local}"

    alias_index = _check_references(categories, skills, titles, problems)
    if problems:
        raise TaxonomyError(problems)

    narrower: dict[str, list[str]] = {}
    for _, s in skills.values():
        for parent in s.broader:
            narrower.setdefault(parent, []).append(s.id)
    return Taxonomy(
        version=version,
        categories=dict(categories),
        skills={sid: _to_skill(s) for sid, (_, s) in skills.items()},
        titles={tid: _to_title(t) for tid, (_, t) in titles.items()},
        alias_index=alias_index,
        narrower={k: tuple(v) for k, v in narrower.items()},
    )


def _read_dir(
    directory: Path, problems: list[TaxonomyProblem], cache_dir: Path | None
) -> list[tuple[str, FileSchema]]:
    """Every ``*.yaml`` file under ``directory`` (sorted, so the order is stable), parsed and shaped."""
    result: list[tuple[str, FileSchema]] = []
    for path in sorted(Path(directory).rglob("*.yaml")):
        name = str(path.relative_to(directory))
        try:
            raw = _load_yaml(path.read_bytes(), cache_dir)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(TaxonomyProblem(name, "-", "", f"cannot read YAML: {_one_line(str(exc))}"))
            continue
        if raw is None:
            continue
        try:
            result.append((name, FileSchema.model_validate(raw)))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(TaxonomyProblem(name, "-", loc, err["msg"]))
    return result


def _load_yaml(data: bytes, cache_dir: Path | None) -> Any:
    """Parsed YAML, through the JSON cache when there is one; a cache that cannot be used is skipped."""
    if cache_dir is None:
        return yaml.load(data.decode("utf-8"), Loader=_YAML_LOADER)
    cached = cache_dir / f"taxonomy-{hashlib.sha256(data).hexdigest()}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass
    raw = yaml.load(data.decode("utf-8"), Loader=_YAML_LOADER)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(raw), encoding="utf-8")
        os.replace(partial, cached)  # atomic: a concurrent reader sees the old state or the whole file
    except (OSError, TypeError, ValueError):
        pass  # read-only home, or YAML values JSON cannot hold (dates): parse the YAML next time too
    return raw


def _validate_entry(
    model: type[M], raw: dict[str, Any], path: str, what: str, index: int, problems: list[TaxonomyProblem]
) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        entry = str(raw.get("id") or f"{what} #{index + 1}")
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(TaxonomyProblem(path, entry, loc, err["msg"]))
        return None


def _check_references(
    categories: Mapping[str, str],
    skills: Mapping[str, tuple[str, SkillSchema]],
    titles: Mapping[str, tuple[str, TitleSchema]],
    problems: list[TaxonomyProblem],
) -> dict[str, str]:
    """Cross-checks: categories and links exist, no alias names two skills, no broader cycle."""
    alias_index: dict[str, str] = {}
    for sid, (path, s) in skills.items():
        if s.category not in categories:
            problems.append(TaxonomyProblem(path, sid, "category", f"unknown category {s.category!r}"))
        for link in ("broader", "related"):
            for target in getattr(s, link):
                if target not in skills:
                    problems.append(TaxonomyProblem(path, sid, link, f"unknown skill id {target!r}"))
                elif target == sid:
                    problems.append(TaxonomyProblem(path, sid, link, "a skill cannot link to itself"))
        keyed = [(form, skill_key(form)) for form in (s.name, *s.aliases)]
        keys = {key for _, key in keyed}
        for form in s.ambiguous:
            if skill_key(form) not in keys:
                problems.append(
                    TaxonomyProblem(path, sid, "ambiguous", f"{form!r} is neither the name nor an alias")
                )
        for form, key in keyed:
            if not key:
                problems.append(TaxonomyProblem(path, sid, "aliases", f"{form!r} has no letters or digits"))
                continue
            owner = alias_index.setdefault(key, sid)
            if owner != sid:
                problems.append(
                    TaxonomyProblem(path, sid, "aliases", f"{form!r} is already a name or alias of {owner!r}")
                )
    for sid, (path, _) in skills.items():
        if _has_broader_cycle(sid, skills):
            problems.append(TaxonomyProblem(path, sid, "broader", "broader links form a cycle"))
    for tid, (path, t) in titles.items():
        for group in ("required", "preferred"):
            for req in getattr(t, group):
                if req.skill not in skills:
                    problems.append(TaxonomyProblem(path, tid, group, f"unknown skill id {req.skill!r}"))
        asked = [r.skill for r in (*t.required, *t.preferred)]
        if len(asked) != len(set(asked)):
            problems.append(TaxonomyProblem(path, tid, "required", "a skill is listed twice"))
    families = {t.family or tid for tid, (_, t) in titles.items()}
    for tid, (path, t) in titles.items():
        for family in t.related:
            if family not in families:
                problems.append(TaxonomyProblem(path, tid, "related", f"unknown title family {family!r}"))
    return alias_index


def _has_broader_cycle(start: str, skills: Mapping[str, tuple[str, SkillSchema]]) -> bool:
    stack, seen = list(skills[start][1].broader), set()
    while stack:
        current = stack.pop()
        if current == start:
            return True
        if current in seen or current not in skills:
            continue
        seen.add(current)
        stack.extend(skills[current][1].broader)
    return False


def _to_skill(s: SkillSchema) -> Skill:
    return Skill(
        id=s.id,
        name=s.name,
        category=s.category,
        kind=s.kind,
        aliases=tuple(s.aliases),
        broader=tuple(s.broader),
        related=tuple(s.related),
        ambiguous=tuple(s.ambiguous),
        context=tuple(c.lower() for c in s.context),
        external=s.external.model_dump(exclude_none=True) if s.external else {},
    )


def _to_title(t: TitleSchema) -> JobTitle:
    return JobTitle(
        id=t.id,
        name=t.name,
        seniority=t.seniority,
        alternate_titles=tuple(t.alternate_titles),
        required=tuple(SkillRequirement(r.skill, r.weight) for r in t.required),
        preferred=tuple(SkillRequirement(r.skill, r.weight) for r in t.preferred),
        external=t.external.model_dump(exclude_none=True) if t.external else {},
        family=t.family or t.id,
        related=tuple(t.related),
        management=t.management,
        adjacent=t.adjacent,
    )


def _digest(directory: Path) -> str:
    """Short content hash of a user taxonomy directory, so outputs name exactly what was used."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _one_line(text: str) -> str:
    return " ".join(text.split())
