"""The web page at ``/``: match a resume to a job post, rank job titles, manage stored documents.

The page is one server-rendered template (Jinja2) plus plain JavaScript and CSS under ``api/web/static``: nothing
to build, nothing fetched from another origin, so it works offline. The script calls the same ``/v1`` JSON API
as any client, with the key the person types (kept in ``sessionStorage``) when keys are in force. It inserts
document text only through DOM text nodes, and the page is served with a Content-Security-Policy that allows no
inline script, so an uploaded document cannot run code in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from api.deps import OwnerDep, ServicesDep, SessionDep
from api.errors import problem_responses
from api.security import any_key_exists
from matcher.taxonomy import Taxonomy

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_DIR = WEB_DIR / "static"
TEMPLATES = Jinja2Templates(directory=WEB_DIR / "templates")

router = APIRouter(tags=["web page"])

#: No inline script or style, no other origin: document text can never become markup or code in the page.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class PageConfig(BaseModel):
    """What the page's script needs to know about this server, embedded in the page as JSON."""

    max_upload_bytes: int = Field(description="The upload limit, as the server enforces it (413 above it).")
    max_upload_text: str = Field(description="The same, in words: '10 MB'.")
    max_pages: int
    auth_required: bool = Field(description="Whether API keys are in force: the page asks for one.")
    taxonomy_version: str


class WebTaxonomy(BaseModel):
    """Display names the page shows for skill and category ids (learning order, transferable skills, chart)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": "2026.12.0",
                    "categories": {"mlops": "MLOps"},
                    "skills": {"mlflow": "MLflow", "ci_cd": "CI/CD"},
                }
            ]
        }
    )

    version: str
    categories: dict[str, str]
    skills: dict[str, str]


def human_size(size: int) -> str:
    """Bytes in words, as people read file sizes: 10000000 -> '10 MB', 2500000 -> '2.5 MB', 800000 -> '800 KB'."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            value = f"{size / scale:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{size} bytes"


def static_files() -> StaticFiles:
    """The page's script, style sheet and icon, mounted at ``/static``."""
    return StaticFiles(directory=STATIC_DIR)


def _names(taxonomy: Taxonomy) -> WebTaxonomy:
    return WebTaxonomy(
        version=taxonomy.version,
        categories=dict(taxonomy.categories),
        skills={sid: skill.name for sid, skill in taxonomy.skills.items()},
    )


PAGE_EXAMPLE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"example": "<!doctype html><html lang=en>...</html>"}}}
}


@router.get("/", response_class=HTMLResponse, responses=PAGE_EXAMPLE)
def page(request: Request, services: ServicesDep, session: SessionDep) -> HTMLResponse:
    """The web page: upload a resume and a job post and see the gap report; no key needed to load it."""
    settings = services.settings
    # keys may have been created since start-up (no restart needed): ask the database, as every /v1 route does
    if not services.auth_required and any_key_exists(session):
        services.auth_required = True
    config = PageConfig(
        max_upload_bytes=settings.max_upload_bytes,
        max_upload_text=human_size(settings.max_upload_bytes),
        max_pages=settings.max_pages,
        auth_required=services.auth_required,
        taxonomy_version=services.engine.taxonomy.version,
    )
    context: dict[str, Any] = {"config": config.model_dump(), "version": request.app.version}
    response = TEMPLATES.TemplateResponse(request, "index.html", context)
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(
    "/web/taxonomy.json",
    response_model=WebTaxonomy,
    responses=problem_responses({401: "Keys are in force and none was given (unauthorized)."}),
)
def taxonomy_names(_owner: OwnerDep, services: ServicesDep, response: Response) -> WebTaxonomy:
    """Skill and category display names for the page; a key is needed when keys are in force, as for /v1 (the
    taxonomy may hold a deployment's own skills)."""
    names = _names(services.engine.taxonomy)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["ETag"] = f'"{names.version}"'
    return names
