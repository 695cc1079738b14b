"""The gap report for people: Markdown and one self-contained HTML page, from Jinja2 templates.

Both are rendered from the report's model (:class:`matcher.report.model.GapReport`): a stored report is validated
against it first, then turned into one *view* (the tables, labels and sentences both formats show, built here
once), which ``templates/report.md.j2`` and ``templates/report.html.j2`` only lay out. So the two formats cannot
disagree, the labels live in one place (:data:`LABELS`, also what the web page shows), and blind mode (no resume
file name, no resume evidence from its contact and education sections) is applied in one place. Every piece of
document text (evidence, titles, file names) comes from untrusted uploads: the HTML template autoescapes it, the
Markdown one backslash-escapes it (CommonMark), so neither can carry markup, links or scripts.

The components table lets a reader recompute the score: contribution = 100 x weight x value, and the
contributions sum to the uncapped score.

>>> from matcher.report.render import render_markdown, render_html, skill_names         # doctest: +SKIP
>>> render_markdown(report, names=skill_names(engine.taxonomy))                  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from matcher.report.model import GapReport, ReportEvidence, ReportLine, report_model, upgrade_stored
from matcher.scoring.match import RELATION_CREDIT, MatchReport
from matcher.taxonomy import Taxonomy

__all__ = ["LABELS", "MAX_EVIDENCE", "MAX_QUOTE", "render_html", "render_markdown", "skill_names"]

#: How many evidence spans each document shows per skill, and how long each quote may be.
MAX_EVIDENCE = 2
MAX_QUOTE = 60

#: Every label a reader sees, in one place: the renderers and the web page (``api/web``) show these.
LABELS: Mapping[str, Any] = {
    "components": {
        "required_coverage": "Required skills covered",
        "preferred_coverage": "Preferred skills covered",
        "experience": "Years of experience",
        "title_fit": "Seniority fit",
        "qualifications": "Qualifications (title, degree, certifications)",
    },
    "qualification_kinds": {
        "title": "job title",
        "management": "people management",
        "degree": "degree",
        "certification": "certification",
    },
    "verdicts": {
        "strong fit": "Strong fit",
        "partial fit": "Partial fit",
        "not a fit": "Not a fit",
    },
    "relations": {
        "narrower": "has a narrower skill",
        "broader": "has the broader skill",
        "sibling": "has a sibling skill",
        "related": "has a related skill",
    },
    "sections": {
        "matched": ("Matched skills", "Job skills the resume has"),
        "partial": ("Partial matches", "Job skills the resume covers in part, through a related skill"),
        "missing": ("Missing skills", "Job skills the resume lacks, most important first"),
        "qualifications": (
            "Qualifications",
            "The title, degree, certifications and people management the job asks for, and how the resume meets each",
        ),
    },
    "empty": {
        "matched": "None of the job's skills was found in the resume.",
        "partial": "No partial matches.",
        "missing": "Nothing is missing.",
        "learning_order": "Nothing to learn for this job.",
        "coverage_by_category": "The job post names no skills.",
        "qualifications": "The job asks for no degree or certification, and its title could not be compared.",
    },
    "low_trust": (
        "The text extraction was poor or hidden text was found, so this score may not reflect the documents. "
        "Check them before relying on it."
    ),
    "blind": "blind mode: no file name, no contact or education evidence",
}
_DIAGNOSTIC_DOCS = ("resume", "job")
_HEADERS = {
    "matched": (("skill", "level", "weight", "credit", "years", "job evidence", "resume evidence"), "llrrlll"),
    "partial": (
        ("skill", "level", "weight", "relation", "earned by", "credit", "job evidence", "resume evidence"),
        "llrllrll",
    ),
    "missing": (
        ("#", "skill", "level", "weight", "must-have", "closest skill you have", "prerequisites you lack"),
        "rllrlll",
    ),
    "qualifications": (
        ("asked", "kind", "level", "weight", "credit", "why", "job evidence", "resume evidence"),
        "lllrrlll",
    ),
}


def skill_names(taxonomy: Taxonomy) -> dict[str, str]:
    """Skill id -> display name, for the ``names`` argument of the renderers."""
    return {sid: skill.name for sid, skill in taxonomy.skills.items()}


# ------------------------------------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class Cell:
    """One table cell: text, and what the templates mark up around it."""

    text: str = ""
    #: a skill's name with "(must-have)" after it
    must: bool = False
    #: the resume skill a matched line names when the job accepted alternatives ("has Kafka")
    has: str | None = None
    #: (section, quote) spans of evidence, and how many more there are
    evidence: tuple[tuple[str, str], ...] | None = None
    more: int = 0
    #: the cell is the word "yes" marked as a must-have
    strong: bool = False
    #: several names joined by commas, each escaped
    items: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    caption: str
    header: tuple[str, ...]
    align: str
    rows: list[tuple[Cell, ...]]
    empty: str


@dataclass(frozen=True)
class View:
    """What both formats show, as plain text (the templates escape and mark it up)."""

    title: str
    job_title: str
    score: str
    #: the score's band ("Partial fit"), None in reports made before it existed
    verdict: str | None
    cap_reason: str | None
    job: str | None
    resume: str
    blind: bool
    low_trust: bool
    trust_warnings: list[str]
    components: list[tuple[str, str, str, str]]
    total: tuple[str, str, str, str]
    uncapped: str
    tables: list[Table]
    learning_order: list[str]
    coverage: list[tuple[str, str, str, str, float]]  # category id, name, percent, text bar, bar width 0-100
    seniority: list[tuple[str, str, str]]
    documents: list[tuple[str, str]]
    taxonomy_version: str
    schema_version: str
    labels: Mapping[str, Any] = field(default_factory=lambda: LABELS)


class _Names:
    """Display names: the caller's mapping first (the taxonomy's names), then the report's lines (a line asking
    alternatives is named "A or B", so it names its id only when the caller has nothing better), then the id."""

    def __init__(
        self, report: GapReport, names: Mapping[str, str] | None, category_names: Mapping[str, str] | None
    ) -> None:
        lines = (*report.matched, *report.partial, *report.missing)
        self.skills: dict[str, str] = {line.id: line.name for line in lines}
        self.skills.update(names or {})
        self.categories = dict(category_names or {})

    def skill(self, skill_id: str | None) -> str:
        return "" if skill_id is None else self.skills.get(skill_id, skill_id)

    def category(self, category: str) -> str:
        return self.categories.get(category) or category.replace("_", " ").capitalize()


def _num(value: float, places: int = 4) -> str:
    """A number without trailing zeros: 0.68, 1, 0.6375."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _clean(text: object, limit: int | None = None) -> str:
    """One line of text, shortened to ``limit`` characters."""
    text = " ".join(str(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _credit_formula(line: ReportLine) -> str:
    """How a credit was reached when factors apply: ``0.8 x 0.85 recency = 0.68``; else the credit alone."""
    factors = [
        f"{_num(value)} {label}"
        for value, label in ((line.experience_factor, "experience"), (line.recency_factor, "recency"))
        if value != 1
    ]
    if not factors:
        return _num(line.credit)
    base = RELATION_CREDIT[line.relation] if line.relation else 0.0
    return f"{' × '.join([_num(base), *factors])} = {_num(line.credit)}"


def _years_text(line: ReportLine) -> str:
    parts = []
    if line.years is not None:
        parts.append(f"{_num(line.years, 1)} y")
    elif line.years_asked is not None:
        parts.append("years unknown")
    if line.years_asked is not None:
        parts.append(f"{_num(line.years_asked, 1)} asked")
    if line.last_used is not None:
        parts.append(f"last used {line.last_used}")
    return ", ".join(parts)


def _evidence(evidence: Sequence[ReportEvidence]) -> Cell:
    shown = tuple((e.section or "no section", _clean(e.text, MAX_QUOTE)) for e in evidence[:MAX_EVIDENCE])
    return Cell(evidence=shown, more=max(0, len(evidence) - MAX_EVIDENCE))


def _diagnostic_parts(diag: Mapping[str, Any]) -> list[str]:
    """The deterministic parse diagnostics worth a reader's time (never the parse time)."""
    parts = []
    if diag.get("parser"):
        parts.append(f"read with {diag['parser']}")
    if diag.get("chars") is not None:
        parts.append(f"{diag['chars']:,} characters")
    sections = list(dict.fromkeys(diag.get("sections_found") or ()))
    parts.append(f"sections: {', '.join(sections)}" if sections else "no sections found")
    if diag.get("columns") and max(diag["columns"]) > 1:
        parts.append(f"up to {max(diag['columns'])} columns")
    if diag.get("hidden_text_count"):
        parts.append(f"{diag['hidden_text_count']} spans of hidden text (not scored)")
    if diag.get("scanned_pages"):
        parts.append(f"scanned pages: {', '.join(map(str, diag['scanned_pages']))}")
    return parts


def _rows(key: str, report: GapReport, n: _Names) -> list[tuple[Cell, ...]]:
    if key == "qualifications":
        return [
            (
                Cell(q.name), Cell(LABELS["qualification_kinds"].get(q.kind, q.kind)), Cell(q.level),
                Cell(_num(q.weight)), Cell(_num(q.credit)), Cell(q.reason),
                _evidence(q.job_evidence), _evidence(q.resume_evidence),
            )
            for q in report.qualifications
        ]  # fmt: skip
    def skill(line: ReportLine, has: str | None = None) -> Cell:
        return Cell(line.name, must=line.must_have, has=has)

    if key == "matched":
        return [
            (
                skill(line, n.skill(line.via) if line.via else None), Cell(line.level), Cell(_num(line.weight)),
                Cell(_credit_formula(line)), Cell(_years_text(line) or "—"),
                _evidence(line.job_evidence), _evidence(line.resume_evidence),
            )
            for line in report.matched
        ]  # fmt: skip
    if key == "partial":
        return [
            (
                skill(line), Cell(line.level), Cell(_num(line.weight)),
                Cell(LABELS["relations"].get(line.relation, line.relation or "")), Cell(n.skill(line.via)),
                Cell(_credit_formula(line)), _evidence(line.job_evidence), _evidence(line.resume_evidence),
            )
            for line in report.partial
        ]  # fmt: skip
    return [
        (
            Cell(str(rank)), Cell(line.name), Cell(line.level), Cell(_num(line.weight)),
            Cell("yes", strong=True) if line.must_have else Cell("no"),
            Cell(n.skill(line.transferable)) if line.transferable else Cell("—"),
            Cell(items=tuple(n.skill(p) for p in line.prerequisites)) if line.prerequisites else Cell("—"),
        )
        for rank, line in enumerate(report.missing, 1)
    ]  # fmt: skip


def build_view(
    report: GapReport, *, names: Mapping[str, str] | None = None, category_names: Mapping[str, str] | None = None
) -> View:
    """What a reader is shown of ``report``, for the templates."""
    n = _Names(report, names, category_names)
    weights = report.component_weights.model_dump()
    values = report.components.model_dump()
    if not weights.get("qualifications") and not report.qualifications:
        values.pop("qualifications", None)  # a job that asks for none (or a report made before they counted)
    components = [
        (LABELS["components"][name], f"{value:.4f}", _num(weights[name]), f"{100 * weights[name] * value:.2f}")
        for name, value in values.items()
    ]
    total_weight = sum(weights[name] for name in values)
    total_contribution = sum(100 * weights[name] * value for name, value in values.items())
    verdict = LABELS["verdicts"].get(report.verdict, report.verdict) if report.verdict else None
    title = f"Match score {report.score:.1f} / 100" + (f" ({verdict.lower()})" if verdict else "")
    title += f": {_clean(report.cap_reason)}" if report.cap_reason else ""
    tables = []
    keys = ("qualifications", "matched", "partial", "missing") if "qualifications" in values else (
        "matched", "partial", "missing"
    )  # fmt: skip
    for key in keys:
        lines = getattr(report, key)
        name, caption = LABELS["sections"][key]
        header, align = _HEADERS[key]
        suffix = ", most important first" if key == "missing" else ""
        heading = f"{name} ({len(lines)}){suffix}"
        tables.append(Table(key, heading, caption, header, align, _rows(key, report, n), LABELS["empty"][key]))

    def show(value: Any, unit: str = "") -> str:
        if value is None:
            return "not stated"
        return f"{_num(value, 1)}{unit}" if isinstance(value, int | float) else str(value)

    return View(
        title=title,
        job_title=_clean(report.job_title) if report.job_title else "untitled job post",
        score=f"{report.score:.1f}",
        verdict=verdict,
        cap_reason=report.cap_reason,
        job=report.job,
        resume="hidden (blind mode)" if report.blind else report.resume or "(no file name)",
        blind=report.blind,
        low_trust=report.low_trust,
        trust_warnings=list(report.trust_warnings),
        components=components,
        total=("Total (uncapped score)", "", f"{total_weight:.2f}", f"{total_contribution:.2f}"),
        uncapped=f"{report.uncapped_score:.1f}",
        tables=tables,
        learning_order=[n.skill(step) for step in report.learning_order],
        coverage=[
            (cat, n.category(cat), _pct(value), _text_bar(value), max(0.0, min(1.0, value)) * 100)
            for cat, value in report.coverage_by_category.items()
        ],
        seniority=[
            ("Seniority", show(report.seniority.resume), show(report.seniority.job)),
            ("Years of experience", show(report.years.resume, " years"), show(report.years.asked, " years")),
        ],
        documents=[
            (doc, "; ".join(_diagnostic_parts(report.diagnostics[doc])))
            for doc in _DIAGNOSTIC_DOCS
            if isinstance(report.diagnostics.get(doc), Mapping)
        ],
        taxonomy_version=report.taxonomy_version,
        schema_version=report.schema_version,
    )


def _text_bar(value: float, width: int = 10) -> str:
    full = round(max(0.0, min(1.0, value)) * width)
    return "█" * full + "░" * (width - full)


# ------------------------------------------------------------------------------------------------------ rendering

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#~&!])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def _md(text: object, limit: int | None = None) -> str:
    """Document text made inert in Markdown: one line, every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), _clean(str(text), limit))


@cache
def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("matcher.report", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
    env.filters["clean"] = _clean
    env.filters["tocells"] = lambda values: tuple(Cell(str(v)) for v in values)
    env.filters["coverage_cells"] = lambda row: (Cell(row[1]), Cell(row[2]))
    return env


def _model(report: MatchReport | Mapping[str, Any], blind: bool) -> GapReport:
    """The report's model: built from a fresh report, or validated from a stored one (a report that does not fit
    the model is refused here, before anything is shown)."""
    if isinstance(report, Mapping):
        return GapReport.model_validate(upgrade_stored(report))
    return report_model(report, blind=blind)


def render_markdown(
    report: MatchReport | Mapping[str, Any],
    *,
    blind: bool = False,
    names: Mapping[str, str] | None = None,
    category_names: Mapping[str, str] | None = None,
) -> str:
    """The gap report as Markdown (GitHub-flavoured tables).

    ``names``: skill id -> display name for the ids the report lines do not name (transferable, via,
    prerequisites, learning order; :func:`skill_names`), else the id is shown; ``category_names``: category id ->
    display name (``taxonomy.categories``), else the id made readable. ``report`` may also be the dict of
    :func:`~matcher.report.model.report_to_dict` (a stored report), validated and rendered as it is: ``blind`` was
    applied then.
    """
    view = build_view(_model(report, blind), names=names, category_names=category_names)
    return _environment(False).get_template("report.md.j2").render(view=view)


def render_html(
    report: MatchReport | Mapping[str, Any],
    *,
    blind: bool = False,
    names: Mapping[str, str] | None = None,
    category_names: Mapping[str, str] | None = None,
) -> str:
    """The gap report as one self-contained, accessible HTML page: inline CSS, an inline SVG chart of coverage
    by category, no scripts, fonts or links to fetch. Same content and arguments as :func:`render_markdown`."""
    view = build_view(_model(report, blind), names=names, category_names=category_names)
    return _environment(True).get_template("report.html.j2").render(view=view)
