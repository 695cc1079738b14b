"""Routes: the loaded taxonomy's skills (searchable by name or alias, by category) and ML job titles."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import OwnerDep, ServicesDep
from api.errors import ApiError
from matcher.normalize import skill_key
from matcher.taxonomy import Taxonomy
from matcher.types import JobTitle, Skill, SkillRequirement

router = APIRouter(prefix="/v1/taxonomy", tags=["taxonomy"])


class SkillOut(BaseModel):
    id: str
    name: str
    category: str
    kind: str
    aliases: list[str]
    broader: list[str] = Field(description="Ids of the broader skills (Keras -> TensorFlow).")
    related: list[str]
    external: dict[str, str] = Field(description="ESCO URI, O*NET and Wikidata ids where known.")


class SkillPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "id": "scikit_learn",
                            "name": "scikit-learn",
                            "category": "ml_framework",
                            "kind": "hard",
                            "aliases": ["sklearn", "scikit learn"],
                            "broader": ["ml_library"],
                            "related": ["python"],
                            "external": {"wikidata": "Q1026367"},
                        }
                    ],
                    "count": 1,
                    "limit": 50,
                    "offset": 0,
                }
            ]
        }
    )

    data: list[SkillOut]
    count: int = Field(description="Skills matching the query in all, not only on this page.")
    limit: int
    offset: int


class RequirementOut(BaseModel):
    skill_id: str
    name: str
    weight: float


class TitleOut(BaseModel):
    id: str
    name: str
    seniority: str
    alternate_titles: list[str]
    required: list[RequirementOut]
    preferred: list[RequirementOut]


class TitleList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "id": "ml_engineer",
                            "name": "Machine Learning Engineer",
                            "seniority": "mid",
                            "alternate_titles": ["ML Engineer"],
                            "required": [{"skill_id": "python", "name": "Python", "weight": 3.0}],
                            "preferred": [{"skill_id": "kubernetes", "name": "Kubernetes", "weight": 1.0}],
                        }
                    ],
                    "count": 1,
                }
            ]
        }
    )

    data: list[TitleOut]
    count: int


def _keys(skill: Skill) -> tuple[str, ...]:
    return tuple(dict.fromkeys(skill_key(n) for n in (skill.name, *skill.aliases)))


@dataclass(frozen=True)
class _Entry:
    skill: Skill
    name_key: str
    keys: tuple[str, ...]


class _SearchIndex:
    """Each skill with the keys of its name and aliases, sorted by name; built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        skills = sorted(taxonomy.skills.values(), key=lambda s: (s.name.casefold(), s.id))
        self.entries = [_Entry(s, skill_key(s.name), _keys(s)) for s in skills]

    def search(self, q: str | None, category: str | None) -> list[Skill]:
        """Exact name or alias first, then names starting with the query, then any name or alias containing it."""
        entries = [e for e in self.entries if category is None or e.skill.category == category]
        if q is None or not q.strip():
            return [e.skill for e in entries]
        key = skill_key(q)
        if not key:
            return []
        exact = self.taxonomy.alias_index.get(key)
        ranked: list[tuple[int, int, Skill]] = []
        for position, entry in enumerate(entries):
            if entry.skill.id == exact:
                rank = 0
            elif entry.name_key.startswith(key):
                rank = 1
            elif any(k.startswith(key) for k in entry.keys):
                rank = 2
            elif any(key in k for k in entry.keys):
                rank = 3
            else:
                continue
            ranked.append((rank, position, entry.skill))
        ranked.sort(key=lambda item: item[:2])
        return [skill for _, _, skill in ranked]


_indexes: dict[int, _SearchIndex] = {}
_indexes_lock = threading.Lock()


def _index(taxonomy: Taxonomy) -> _SearchIndex:
    with _indexes_lock:
        found = _indexes.get(id(taxonomy))
        if found is None or found.taxonomy is not taxonomy:
            if len(_indexes) >= 4:  # tests build a few taxonomies; a server has one
                _indexes.clear()
            found = _indexes[id(taxonomy)] = _SearchIndex(taxonomy)
        return found


def _skill_out(skill: Skill) -> SkillOut:
    return SkillOut(
        id=skill.id,
        name=skill.name,
        category=skill.category,
        kind=skill.kind,
        aliases=list(skill.aliases),
        broader=list(skill.broader),
        related=list(skill.related),
        external=dict(skill.external),
    )


def _title_out(title: JobTitle, taxonomy: Taxonomy) -> TitleOut:
    def requirements(items: tuple[SkillRequirement, ...]) -> list[RequirementOut]:
        skills = taxonomy.skills
        return [RequirementOut(skill_id=r.skill_id, name=skills[r.skill_id].name, weight=r.weight) for r in items]

    return TitleOut(
        id=title.id,
        name=title.name,
        seniority=title.seniority,
        alternate_titles=list(title.alternate_titles),
        required=requirements(title.required),
        preferred=requirements(title.preferred),
    )


@router.get("/skills", response_model=SkillPage)
def list_skills(
    _owner: OwnerDep,
    services: ServicesDep,
    q: Annotated[str | None, Query(max_length=200, description="A name or alias, in any spelling.")] = None,
    category: Annotated[str | None, Query(max_length=64, description="A category id (ml_framework, ...).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SkillPage:
    """Search the taxonomy's skills by name or alias, optionally within one category."""
    taxonomy = services.engine.taxonomy
    if category is not None and category not in taxonomy.categories:
        raise ApiError(
            f"unknown category {category!r}; one of: {', '.join(sorted(taxonomy.categories))}",
            code="unknown_category",
            status=422,
        )
    found = _index(taxonomy).search(q, category)
    return SkillPage(
        data=[_skill_out(s) for s in found[offset : offset + limit]], count=len(found), limit=limit, offset=offset
    )


@router.get("/titles", response_model=TitleList)
def list_titles(_owner: OwnerDep, services: ServicesDep) -> TitleList:
    """The ML job titles that title ranking scores a resume against, with their skills and weights."""
    taxonomy = services.engine.taxonomy
    titles = sorted(taxonomy.titles.values(), key=lambda t: (t.name.casefold(), t.id))
    return TitleList(data=[_title_out(t, taxonomy) for t in titles], count=len(titles))
