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
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from matcher.errors import TaxonomyError, TaxonomyProblem
from matcher.normalize import singular_keys, skill_key
from matcher.types import JobTitle, Skill, SkillRequirement

if TYPE_CHECKING:  # the file schemas are imported when files are validated: the compiled cache never needs them
    from matcher.taxonomy_schema import FileSchema, LinkSchema, SkillSchema, TitleSchema

M = TypeVar("M", bound=BaseModel)


#: "curated": written for ML hiring, wins every conflict; "long_tail": generated from ESCO and O*NET
Tier = Literal["curated", "long_tail"]


class Link(NamedTuple):
    """A concept of the reference data a curated skill stands for: see :class:`LinkSchema` (a tuple: it unpickles
    several times faster than a record)."""

    skill_id: str
    external_id: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


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
    #: label key -> skill id for the ESCO and O*NET labels of the concepts curated skills stand for (``links``):
    #: found by :meth:`lookup`, never matched in text
    label_index: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: external id (an ESCO URI, an O*NET ``tech:`` example) -> the skill that carries it or stands for it
    external_index: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: the ``links`` by external id
    links: Mapping[str, Link] = field(default_factory=dict, repr=False)
    #: skill id -> its lookup-only ``labels`` as written (long-tail skills)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    #: where this taxonomy's compiled forms are cached (``<compiled>.pickle``; the lexicon adds its own
    #: ``<compiled>.lexicon.pickle``), when it was loaded with a cache directory
    compiled: str | None = field(default=None, repr=False, compare=False)

    def lookup(self, name: str) -> Skill | None:
        """The skill a name, alias, ESCO or O*NET label, ESCO URI or ``tech:`` example denotes, or None:
        ``lookup("sklearn").id == "scikit_learn"``, ``lookup("Java (computer programming)").id == "java"``."""
        key = skill_key(name)
        skill_id = (
            self.alias_index.get(key)
            or self.label_index.get(key)
            or self.external_index.get(name.strip())
            or self._curated_other_number(key)
        )
        return self.skills[skill_id] if skill_id else None

    def written_names(self) -> Iterator[tuple[str, str]]:
        """``(name, skill id)`` of every name, alias and reference label (``labels``, and the ``links``' aliases
        and labels), curated skills first: all the ways the taxonomy writes its skills."""
        for skill in sorted(self.skills.values(), key=lambda s: (s.tier != "curated", s.id)):
            for name in (skill.name, *skill.aliases, *self.labels.get(skill.id, ())):
                yield name, skill.id
        for link in sorted(self.links.values()):
            for name in (*link.aliases, *link.labels):
                yield name, link.skill_id

    def _curated_other_number(self, key: str) -> str | None:
        """The curated skill a name key's singular or plural names, read as tagging reads them ("GPUs" is GPU,
        "Random Forest" is "random forests"). Only when nothing is named exactly: an ESCO label finds its own
        concept."""
        plural = [key + "s"] if len(key) >= 5 else []  # the lexicon's bound: "data" is no "datas"
        for other in [*singular_keys(key), *plural]:
            skill_id = self.alias_index.get(other)
            if skill_id is not None and self.skills[skill_id].tier == "curated":
                return skill_id
        return None

    def search(self, query: str | None, category: str | None = None) -> list[Skill]:
        """Skills by name for people typing a query: the skill :meth:`lookup` finds first, then names starting with
        the query, then any name or alias starting with it or containing it; by name within each rank. No query:
        every skill (of ``category``), by name."""
        entries = [e for e in self._search_entries if category is None or e[0].category == category]
        if query is None or not query.strip():
            return [skill for skill, _, _ in entries]
        key = skill_key(query)
        if not key:
            return []
        exact = self.lookup(query)
        ranked: list[tuple[int, int, Skill]] = []
        for position, (skill, name_key, keys) in enumerate(entries):
            if skill is exact:
                rank = 0
            elif name_key.startswith(key):
                rank = 1
            elif any(k.startswith(key) for k in keys):
                rank = 2
            elif any(key in k for k in keys):
                rank = 3
            else:
                continue
            ranked.append((rank, position, skill))
        ranked.sort(key=lambda item: item[:2])
        return [skill for _, _, skill in ranked]

    @cached_property
    def _search_entries(self) -> list[tuple[Skill, str, tuple[str, ...]]]:
        """Each skill with the keys of its name and its aliases, by name: built on the first search."""
        skills = sorted(self.skills.values(), key=lambda s: (s.name.casefold(), s.id))
        return [
            (s, skill_key(s.name), tuple(dict.fromkeys(skill_key(n) for n in (s.name, *s.aliases)))) for s in skills
        ]

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

    ``cache_dir`` keeps each YAML file's parsed data as JSON, keyed by the file's content hash (JSON reads ~20x
    faster than YAML), and the whole validated taxonomy, pickled, keyed by every file and the code that builds
    it (:func:`_tree_digest`): validating and indexing the ~25,000 skills of both tiers takes seconds, unpickling
    them a tenth of one. Raises :class:`TaxonomyError` listing every problem of every file.
    """
    base = bundled_dir or bundled_taxonomy_dir()
    if user_dir is not None and not Path(user_dir).is_dir():
        raise TaxonomyError([TaxonomyProblem(str(user_dir), "-", "", "taxonomy directory not found")])
    compiled = None
    if cache_dir is not None:
        compiled = str(Path(cache_dir) / f"compiled-{_tree_digest([base, *([Path(user_dir)] if user_dir else [])])}")
        cached = read_pickle(Path(f"{compiled}.pickle"))
        if isinstance(cached, Taxonomy):
            return cached
    problems: list[TaxonomyProblem] = []
    layers = [_read_dir(base, problems, cache_dir)]
    if user_dir is not None:
        layers.append(_read_dir(Path(user_dir), problems, cache_dir))
    suffix = None if user_dir is None else f"local.{_digest(Path(user_dir))}"
    taxonomy = _build(layers, problems, str(base), suffix)
    if compiled is not None:
        taxonomy = replace(taxonomy, compiled=compiled)
        write_pickle(Path(f"{compiled}.pickle"), taxonomy)
    return taxonomy


#: what a compiled cache depends on besides the taxonomy files: the code that builds and reads it
_COMPILED_BY = (
    "taxonomy.py", "taxonomy_schema.py", "types.py", "tagging/lexicon.py", "tagging/phrases.py", "normalize.py",
    "scoring/match.py",
)


def _tree_digest(directories: list[Path]) -> str:
    """Hash of every taxonomy file (name and content) under ``directories`` and of the code that compiles them.

    It runs at every start. The files that ship with the package (our code and the bundled taxonomy, ~10 MB) are
    known by name, size and modification time, as Python knows its own sources for ``.pyc`` files: hashing their
    content was ~20 ms of ``skillmatch tag``'s ~0.5 s. Any other directory (a user's taxonomy, a copy) is hashed
    by content, so an edit that keeps a file's size within a clock tick still counts."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    shipped = bundled_taxonomy_dir().resolve()
    for name in _COMPILED_BY:
        _stamp(digest, here / name, name)
    for directory in directories:
        by_stamp = Path(directory).resolve() == shipped
        for path in sorted(Path(directory).rglob("*.yaml")):
            name = str(path.relative_to(directory))
            if by_stamp:
                _stamp(digest, path, name)
            else:
                digest.update(name.encode())
                digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _stamp(digest: Any, path: Path, name: str) -> None:
    stat = path.stat()
    digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())


def read_pickle(path: Path) -> object | None:
    """An object this module's caches pickled, or None when there is none or it cannot be read.

    Only our own cache directory is read (``SKILLMATCH_CACHE_DIR``): whoever can write there can change the
    code too."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # our own cache, see above
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def write_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass


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
                **({"tier": s.tier} if s.tier != "curated" else {}),
                **({"labels": list(taxonomy.labels[s.id])} if s.id in taxonomy.labels else {}),
            }
            for s in taxonomy.skills.values()
        ],
        "links": [
            {"skill": link.skill_id, ("esco" if ext.startswith("http") else "onet"): ext,
             "aliases": list(link.aliases), "ambiguous": list(link.ambiguous), "labels": list(link.labels)}
            for ext, link in taxonomy.links.items()
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
    from matcher.taxonomy_schema import FileSchema

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
    from matcher.taxonomy_schema import LinkSchema, SkillSchema, TitleSchema

    version = ""
    user_version = ""
    categories: dict[str, str] = {}
    skills: dict[str, tuple[str, SkillSchema]] = {}
    tiers: dict[str, Tier] = {}
    titles: dict[str, tuple[str, TitleSchema]] = {}
    links: list[tuple[str, LinkSchema]] = []
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
                tiers[skill.id] = skill.tier or data.tier
            for index, raw in enumerate(data.links):
                link = _validate_entry(LinkSchema, raw, path, "link", index, problems)
                if link is not None:
                    links.append((path, link))
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

    alias_index, dropped = _check_references(categories, skills, tiers, titles, links, problems)
    external_index, link_map, label_index = _check_external(skills, tiers, links, alias_index, problems)
    if problems:
        raise TaxonomyError(problems)

    narrower: dict[str, list[str]] = {}
    for _, s in skills.values():
        for parent in s.broader:
            narrower.setdefault(parent, []).append(s.id)
    return Taxonomy(
        version=version,
        categories=dict(categories),
        skills=_LazySkills(
            {sid: _skill_fields(s, tiers[sid], dropped.get(sid), external_index) for sid, (_, s) in skills.items()}
        ),
        titles={tid: _to_title(t) for tid, (_, t) in titles.items()},
        alias_index=alias_index,
        narrower=_Deferred({k: tuple(v) for k, v in narrower.items()}),
        label_index=_Deferred(label_index),
        external_index=_Deferred(external_index),
        links=_Deferred(link_map),
        labels=_Deferred({sid: tuple(s.labels) for sid, (_, s) in skills.items() if s.labels}),
    )


def _read_dir(
    directory: Path, problems: list[TaxonomyProblem], cache_dir: Path | None
) -> list[tuple[str, FileSchema]]:
    """Every ``*.yaml`` file under ``directory`` (sorted, so the order is stable), parsed and shaped."""
    from matcher.taxonomy_schema import FileSchema

    result: list[tuple[str, FileSchema]] = []
    for path in sorted(Path(directory).rglob("*.yaml")):
        name = str(path.relative_to(directory))
        try:
            raw = load_yaml(path.read_bytes(), cache_dir)
        except (OSError, ValueError) as exc:
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


def load_yaml(data: bytes, cache_dir: Path | None) -> Any:
    """Parsed YAML, through the JSON cache when there is one (JSON reads ~20x faster, and a command whose files
    are all cached never imports PyYAML: ~20 ms of start-up); a cache that cannot be used is skipped. Raises
    ``ValueError`` for text that is not UTF-8 or not YAML."""
    if cache_dir is not None:
        cached = cache_dir / f"taxonomy-{hashlib.sha256(data).hexdigest()}.json"
        try:
            return json.loads(cached.read_bytes())
        except (OSError, ValueError):
            pass
    raw = _parse_yaml(data)
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(raw), encoding="utf-8")
            os.replace(partial, cached)  # atomic: a concurrent reader sees the old state or the whole file
        except (OSError, TypeError, ValueError):
            pass  # read-only home, or YAML values JSON cannot hold (dates): parse the YAML next time too
    return raw


def _parse_yaml(data: bytes) -> Any:
    import yaml

    # libyaml's safe loader when PyYAML was built with it: ~10x faster on our ~1,000 skills
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(data.decode("utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc


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
    tiers: Mapping[str, Tier],
    titles: Mapping[str, tuple[str, TitleSchema]],
    links: list[tuple[str, LinkSchema]],
    problems: list[TaxonomyProblem],
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Cross-checks: categories and links exist, no alias names two skills, no broader cycle.

    Curated skills are indexed first, then the aliases of links, then long-tail skills; a long-tail form whose
    key is taken already is dropped, not a problem (the curated tier wins every conflict, and a user's alias may
    well be an ESCO label too). Returns the alias index and, per long-tail skill, the keys it lost."""
    alias_index: dict[str, str] = {}
    dropped: dict[str, set[str]] = {}
    curated = [sid for sid in skills if tiers[sid] == "curated"]
    long_tail = [sid for sid in skills if tiers[sid] != "curated"]
    for sid in [*curated, "", *long_tail]:
        if not sid:  # between the tiers: the aliases links give curated skills
            for _, link in links:
                for form in link.aliases if link.skill in skills else ():
                    alias_index.setdefault(skill_key(form), link.skill)
            continue
        path, s = skills[sid]
        if s.category not in categories:
            problems.append(TaxonomyProblem(path, sid, "category", f"unknown category {s.category!r}"))
        for relation in ("broader", "related"):
            for target in getattr(s, relation):
                if target not in skills:
                    problems.append(TaxonomyProblem(path, sid, relation, f"unknown skill id {target!r}"))
                elif target == sid:
                    problems.append(TaxonomyProblem(path, sid, relation, "a skill cannot link to itself"))
        # a long-tail skill is found by its aliases only: the generator repeats the name there when it may be
        # matched (a name that holds a curated name, or a heading such as "knowledge", may not)
        forms = s.aliases if tiers[sid] == "long_tail" else (s.name, *s.aliases)
        keyed = [(form, skill_key(form)) for form in forms]
        keys = {key for _, key in keyed} | {skill_key(s.name)}
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
            if owner != sid and tiers[sid] == "long_tail":
                dropped.setdefault(sid, set()).add(key)
            elif owner != sid:
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
    return alias_index, dropped


def _check_external(
    skills: Mapping[str, tuple[str, SkillSchema]],
    tiers: Mapping[str, Tier],
    links: list[tuple[str, LinkSchema]],
    alias_index: Mapping[str, str],
    problems: list[TaxonomyProblem],
) -> tuple[dict[str, str], dict[str, Link], dict[str, str]]:
    """External ids: one curated skill per id, and, where the long-tail tier is loaded (it holds every ESCO
    concept and O*NET example the generator read, as a skill or a link), only ids that exist in that data.

    Returns ``(external id -> skill id, the links by external id, link label key -> skill id)``. A curated skill
    wins an id a long-tail skill also carries (long-tail files older than the curated edit)."""
    external_index: dict[str, str] = {}
    reference: set[str] = set()
    for sid in sorted(skills, key=lambda sid: tiers[sid] != "curated"):
        path, s = skills[sid]
        for source, ext in (("esco", s.external.esco), ("onet", s.external.onet)) if s.external else ():
            if ext is None or (source == "onet" and not ext.startswith("tech:")):
                continue
            if tiers[sid] == "long_tail":
                reference.add(ext)
            owner = external_index.setdefault(ext, sid)
            if owner != sid and tiers[sid] == "curated":
                problems.append(TaxonomyProblem(path, sid, f"external.{source}", f"{ext} is already {owner!r}'s"))
    link_map: dict[str, Link] = {}
    label_index: dict[str, str] = {}
    for path, link in links:
        ext = link.esco or link.onet
        if ext is None or link.skill not in skills:
            problems.append(TaxonomyProblem(path, link.skill, "links", "needs an esco or onet id and a known skill"))
            continue
        reference.add(ext)
        link_map[ext] = Link(link.skill, ext, tuple(link.aliases), tuple(link.ambiguous), tuple(link.labels))
        external_index.setdefault(ext, link.skill)
        for label in link.labels:
            key = skill_key(label)
            if key and key not in alias_index:
                label_index.setdefault(key, link.skill)
    for sid, (_, s) in skills.items():
        if tiers[sid] == "long_tail":
            for label in (s.name, *s.labels):
                key = skill_key(label)
                if key and key not in alias_index:
                    label_index.setdefault(key, sid)
    if reference:
        for sid, (path, s) in skills.items():
            if tiers[sid] != "curated" or s.external is None:
                continue
            for source, ext in (("esco", s.external.esco), ("onet", s.external.onet)):
                if ext and (source == "esco" or ext.startswith("tech:")) and ext not in reference:
                    problems.append(
                        TaxonomyProblem(path, sid, f"external.{source}", f"{ext} is not in the reference data "
                                        "(ESCO v1.2.0, O*NET 29.2 Technology Skills)")
                    )  # fmt: skip
    return external_index, link_map, label_index


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


def _skill_fields(
    s: SkillSchema, tier: Tier, dropped: set[str] | None, external_index: Mapping[str, str]
) -> _SkillFields:
    """A validated skill's :class:`Skill` fields, in order; a long-tail skill's without the forms and ids curated
    skills took."""
    external = s.external.model_dump(exclude_none=True) if s.external else {}
    aliases, ambiguous = tuple(s.aliases), tuple(s.ambiguous)
    if tier == "long_tail":
        if dropped:
            aliases = tuple(a for a in aliases if skill_key(a) not in dropped)
            ambiguous = tuple(a for a in ambiguous if skill_key(a) not in dropped)
        external = {k: v for k, v in external.items() if external_index.get(v, s.id) == s.id}
    return (
        s.id, s.name, s.category, s.kind, aliases, tuple(s.broader), tuple(s.related), ambiguous,
        tuple(c.lower() for c in s.context), external, tier,
    )  # fmt: skip


#: :class:`Skill`'s fields in order, as :class:`_LazySkills` keeps long-tail skills
_SkillFields = tuple[
    str, str, str, Any, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
    dict[str, str], Any,
]  # fmt: skip


class _LazySkills(Mapping[str, Skill]):
    """Skills by id, kept as tuples of their fields and made into records when first asked for.

    Tagging reads a handful of the ~25,000 skills. Pickled (the compiled cache), each skill's fields are a small
    pickle of their own, read when the skill is first asked for: unpickling 25,000 byte strings takes ~12 ms where
    as many tuples of strings took ~70 ms, and only whoever reads every skill pays for the rest."""

    __slots__ = ("_made", "_packed")

    def __init__(self, packed: Mapping[str, _SkillFields | bytes]) -> None:
        self._packed = packed
        self._made: dict[str, Skill] = {}

    def __getitem__(self, skill_id: str) -> Skill:
        skill = self._made.get(skill_id)
        if skill is None:
            fields = self._packed[skill_id]
            if isinstance(fields, bytes):
                fields = pickle.loads(fields)  # our own cache, see read_pickle
            skill = self._made[skill_id] = Skill(*fields)
        return skill

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __getstate__(self) -> dict[str, bytes]:
        return {
            sid: fields if isinstance(fields, bytes) else pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
            for sid, fields in self._packed.items()
        }

    def __setstate__(self, state: dict[str, bytes]) -> None:
        self._packed = state
        self._made = {}


K = TypeVar("K")
V = TypeVar("V")


class _Deferred(Mapping[K, V]):
    """A mapping that tagging never reads (lookups by label or external id, narrower skills, links): pickled (the
    compiled cache) as one byte string, unpickled when first read, so that loading the taxonomy does not pay for it."""

    __slots__ = ("_data", "_pickled")

    def __init__(self, data: Mapping[K, V]) -> None:
        self._data: Mapping[K, V] | None = data
        self._pickled = b""

    @property
    def _mapping(self) -> Mapping[K, V]:
        data = self._data
        if data is None:  # two threads may both unpickle it: the same mapping either way
            data = self._data = pickle.loads(self._pickled)  # our own cache, see read_pickle
        return data

    def __getitem__(self, key: K) -> V:
        return self._mapping[key]

    def __contains__(self, key: object) -> bool:
        return key in self._mapping

    def __iter__(self) -> Iterator[K]:
        return iter(self._mapping)

    def __len__(self) -> int:
        return len(self._mapping)

    def __getstate__(self) -> bytes:
        return self._pickled if self._data is None else pickle.dumps(dict(self._data), protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, state: bytes) -> None:
        self._data = None
        self._pickled = state


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
