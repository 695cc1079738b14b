"""Routes: the loaded taxonomy's skills (searchable by name or alias, by category) and ML job titles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import OwnerDep, ServicesDep
from api.errors import ApiError
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
    found = taxonomy.search(q, category)
    return SkillPage(
        data=[_skill_out(s) for s in found[offset : offset + limit]], count=len(found), limit=limit, offset=offset
    )


@router.get("/titles", response_model=TitleList)
def list_titles(_owner: OwnerDep, services: ServicesDep) -> TitleList:
    """The ML job titles that title ranking scores a resume against, with their skills and weights."""
    taxonomy = services.engine.taxonomy
    titles = sorted(taxonomy.titles.values(), key=lambda t: (t.name.casefold(), t.id))
    return TitleList(data=[_title_out(t, taxonomy) for t in titles], count=len(titles))
