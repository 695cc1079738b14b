"""The ``skillmatch`` command: thin wrappers over the library, one-line errors on stderr."""

from __future__ import annotations

import gc
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError

from matcher.errors import SkillmatchError, naming
from matcher.settings import Settings, get_settings, settings_error
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.types import DocumentKind, to_jsonable

if TYPE_CHECKING:
    from matcher.engine import Analysed, Engine

F = TypeVar("F", bound=Callable[..., Any])


def _one_line_errors(func: F) -> F:
    """Typed errors become ``skillmatch: error: <message>`` on stderr and exit status 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SkillmatchError as exc:
            click.echo(f"skillmatch: error: {' '.join(exc.message.split())}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # `skillmatch tag ... | head` is fine
            sys.stderr.close()
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def _load(engine: Engine, path: str, **options: Any) -> Analysed:
    with naming(path):
        return engine.load(path, **options)


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _taxonomy(ctx: click.Context) -> Taxonomy:
    settings = _settings(ctx)
    return load_taxonomy(settings.taxonomy_dir, cache_dir=settings.cache_dir)


def _emit(records: list[dict[str, Any]], fmt: str, table: Callable[[dict[str, Any]], Iterable[str]]) -> None:
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    elif fmt == "json":
        payload: Any = records[0] if len(records) == 1 else records
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for record in records:
            for line in table(record):
                click.echo(line)



def _taxonomy_dir_here(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """``--taxonomy-dir`` given after the command (``skillmatch taxonomy validate --taxonomy-dir DIR``): the same
    as before it."""
    if value is not None:
        ctx.obj = _settings(ctx).model_copy(update={"taxonomy_dir": value})


#: --taxonomy-dir on each command too, not only on ``skillmatch`` itself
taxonomy_dir_option = click.option(
    "--taxonomy-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    expose_value=False,
    callback=_taxonomy_dir_here,
    help="A directory of your own taxonomy files that extend or override ours (env SKILLMATCH_TAXONOMY_DIR).",
)


#: what ``skillmatch --help`` says first
COMMAND_HELP = "skillmatch: find ML skills in resumes and job posts, and the gaps between them."


class _OneLineGroup(click.Group):
    """Usage errors (an unknown option, a bad value, a missing argument) as one line on stderr, exit status 2, as
    every other error is one line: click's own message is four (usage, hint, blank, error)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.ClickException as exc:
            where = f" (see {exc.ctx.command_path} --help)" if isinstance(exc, click.UsageError) and exc.ctx else ""
            click.echo(f"skillmatch: error: {exc.format_message()}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("skillmatch: error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def command_group(read_settings: Callable[[], Settings]) -> click.Group:
    """A ``skillmatch`` group whose commands find their settings in ``ctx.obj``, read once at start (an invalid
    ``SKILLMATCH_*`` value is one line). The library's group reads :class:`Settings`; the installed command
    (``api.cli``) reads the service's subclass of it and adds the library's commands to its own group."""

    @click.group(
        name="skillmatch",
        cls=_OneLineGroup,
        help=COMMAND_HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.option(
        "--taxonomy-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="A directory of your own taxonomy files that extend or override ours (env SKILLMATCH_TAXONOMY_DIR).",
    )
    @click.version_option(package_name="skillmatch")
    @click.pass_context
    def group(ctx: click.Context, taxonomy_dir: Path | None) -> None:
        try:
            settings = read_settings()
        except ValidationError as exc:
            click.echo(f"skillmatch: error: {settings_error(exc)}", err=True)
            sys.exit(1)
        if taxonomy_dir is not None:
            settings = settings.model_copy(update={"taxonomy_dir": taxonomy_dir})
        ctx.obj = settings

    return group


#: the library-only command (``python -m matcher``); the installed ``skillmatch`` is :data:`api.cli.main`
main = command_group(get_settings)


@main.command()
@taxonomy_dir_option
@click.argument("files", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(["resume", "job"]), default=None, help="What the files are.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json", show_default=True)
@click.pass_context
@_one_line_errors
def tag(ctx: click.Context, files: tuple[str, ...], kind: DocumentKind | None, fmt: str) -> None:
    """Find the taxonomy skills in FILES (PDF, DOCX, HTML, Markdown, text, JSON Resume).

    Offsets are into the parsed text (see `skillmatch parse`); each mention names its section.
    Hidden text (white on white, tiny fonts, off the page) is not tagged.

    Example: skillmatch tag samples/resumes/ml_engineer_resume.md --format table
    """
    engine = _engine(ctx)
    # the same parse, analysis and tagging as `match` (one Engine path), so the two never disagree on what a
    # document says; without the qualifications and the profile, which tags never depend on
    records = []
    for path in files:
        with naming(path):
            records.append(engine.tag(path, kind=kind).to_dict())

    def table(record: dict[str, Any]) -> Iterable[str]:
        yield f"# {record['source']} (taxonomy {record['taxonomy_version']}): {len(record['skills'])} skills"
        for s in record["skills"]:
            first = s["mentions"][0]
            yield (
                f"{s['id']:<32} {s['category']:<22} {len(s['mentions']):>3}x  "
                f"{first['text']!r} @{first['start']}"
            )

    _emit(records, fmt, table)


def _engine(ctx: click.Context) -> Engine:
    """Taxonomy, tagger and credit index, loaded with the garbage collector paused, then frozen: start-up
    allocates many long-lived objects and almost no cycles. Collections scanning them cost ~10% of the load and,
    after it, ~0.13 s of `skillmatch tag` (those while it tags, and the one at exit): a fifth of the command."""
    gc.disable()
    try:
        from matcher.engine import Engine

        settings = _settings(ctx)
        engine = Engine(settings, taxonomy=_taxonomy(ctx))
        gc.freeze()  # the collector never scans them again
        return engine
    finally:
        gc.enable()


@main.command()
@taxonomy_dir_option
@click.argument("resume")
@click.argument("jobs", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl", "md", "html", "table"]), default="json", show_default=True
)
@click.option("--blind", is_flag=True, help="Leave out file names and contact/education evidence.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Rank the JOBs, best first, and keep the best K.")
@click.pass_context
@_one_line_errors
def match(ctx: click.Context, resume: str, jobs: tuple[str, ...], fmt: str, blind: bool, top: int | None) -> None:
    """Score RESUME against each JOB: the gap report (matched, partial, missing, learning order).

    With --top K the JOBs are ranked for the resume, best first (ties: the order given), and the best K kept;
    --format table prints one line per job: score, file, top missing skills.

    Example: skillmatch match samples/resumes/ml_engineer_resume.md samples/jobs/ml_engineer_job.md --format md
    """
    if fmt == "html" and len(jobs) > 1 and top != 1:
        raise SkillmatchError("--format html writes one page: give one JOB", code="usage")
    engine = _engine(ctx)
    person = _load(engine, resume, kind="resume")
    if top is None:
        reports = [(job, engine.match(person, _load(engine, job, kind="job"))) for job in jobs]
    else:
        reports = _best_jobs(engine, person, jobs, top)
    if fmt == "table":
        from matcher.scoring.titles import ranked_row

        click.echo(f"# {'resume' if blind else resume} (taxonomy {engine.taxonomy.version})")
        for job, report in reports:
            row = ranked_row(report)
            click.echo(f"{row['score']:>5.1f}  {job:<50} missing: {', '.join(row['missing'])}")
        return
    if fmt in ("md", "html"):
        from matcher.report.render import render_html, render_markdown, skill_names

        names = {"names": skill_names(engine.taxonomy), "category_names": engine.taxonomy.categories}
        if fmt == "md":
            click.echo("\n\n---\n\n".join(render_markdown(r, blind=blind, **names) for _, r in reports))
        else:
            click.echo(render_html(reports[0][1], blind=blind, **names))
    else:
        from matcher.report.model import report_to_dict

        records = [{"job": job, **report_to_dict(report, blind=blind)} for job, report in reports]
        _emit(records, fmt, lambda r: [])


def _best_jobs(engine: Any, person: Any, jobs: tuple[str, ...], top: int) -> list[tuple[str, Any]]:
    """``(job, report)`` of the best ``top`` JOBs for the resume, best first (ties: the order given): ranked by a
    job pool (:mod:`matcher.scoring.pool`, the service's scores), full reports built for those kept only."""
    from matcher.scoring.pool import JobPool, features

    loaded = [_load(engine, job, kind="job") for job in jobs]
    pool = JobPool(engine.index, as_of=engine.as_of)
    pool.add((str(i), i, features(analysed.job)) for i, analysed in enumerate(loaded) if analysed.job is not None)
    page = pool.search(person.resume, limit=top)
    return [(jobs[int(hit.key)], engine.match(person, loaded[int(hit.key)])) for hit in page.hits]


@main.command()
@taxonomy_dir_option
@click.argument("resume")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the best N titles.")
@click.pass_context
@_one_line_errors
def titles(ctx: click.Context, resume: str, fmt: str, top: int | None) -> None:
    """Rank the ML job titles of the taxonomy for RESUME, best first, each with its top gaps.

    Example: skillmatch titles samples/resumes/ml_engineer_resume.md --format table
    """
    from matcher.scoring.titles import no_fit

    engine = _engine(ctx)
    ranked = engine.rank_titles(_load(engine, resume, kind="resume"))
    record = {
        "resume": resume,
        "taxonomy_version": engine.taxonomy.version,
        "no_fit": no_fit(ranked),  # of the whole ranking, before --top cuts it
        "titles": [m.to_dict() for m in ranked[:top]],
    }

    def table(r: dict[str, Any]) -> Iterable[str]:
        yield f"# {r['resume']} (taxonomy {r['taxonomy_version']})"
        if r["no_fit"]:
            yield "# no ML title fits: the titles below are the nearest"
        for t in r["titles"]:
            yield f"{t['score']:>5.1f}  {t['title']:<40} {t['title_seniority']:<9} missing: {', '.join(t['missing'])}"

    _emit([record], fmt, table)


@main.command()
@taxonomy_dir_option
@click.argument("job")
@click.argument("resumes", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--blind", is_flag=True, help="Number the resumes instead of naming their files.")
@click.pass_context
@_one_line_errors
def rank(ctx: click.Context, job: str, resumes: tuple[str, ...], fmt: str, blind: bool) -> None:
    """Rank RESUMES for one JOB, best first, each with its score and top gaps.

    Example: skillmatch rank samples/jobs/ml_engineer_job.md samples/eval/resumes/* --format table
    """
    from matcher.scoring.titles import ranked_row

    engine = _engine(ctx)
    posting = _load(engine, job, kind="job")
    loaded = [_load(engine, path, kind="resume") for path in resumes]
    ranked = engine.rank_resumes(loaded, posting)
    position = {id(analysed): i for i, analysed in enumerate(loaded)}
    record = {
        "job": job,
        "taxonomy_version": engine.taxonomy.version,
        "resumes": [
            {"resume": f"resume #{position[id(analysed)] + 1}" if blind else analysed.source, **ranked_row(report)}
            for analysed, report in ranked
        ],
    }

    def table(r: dict[str, Any]) -> Iterable[str]:
        yield f"# {r['job']} (taxonomy {r['taxonomy_version']})"
        for row in r["resumes"]:
            yield f"{row['score']:>5.1f}  {row['resume']:<50} missing: {', '.join(row['missing'])}"

    _emit([record], fmt, table)


@main.command()
@taxonomy_dir_option
@click.argument("file")
@click.option("--kind", type=click.Choice(["resume", "job"]), default=None, help="Guessed from the text if omitted.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--redact", is_flag=True, help="Replace e-mails, phones, URLs and the name with placeholders.")
@_one_line_errors
def parse(file: str, kind: str | None, fmt: str, redact: bool) -> None:
    """Turn FILE into sectioned text: reading order, sections, experience, diagnostics, warnings.

    Example: skillmatch parse samples/resumes/nlp_engineer_two_column_sidebar.pdf --format text
    """
    from datetime import date

    from matcher.analysis import analyse_document
    from matcher.analysis.pii import redact as redact_text
    from matcher.parsing import parse_document

    with naming(file):
        doc = parse_document(Path(file))
    analysis = analyse_document(doc, as_of=date.today(), kind=kind)  # type: ignore[arg-type]
    text = redact_text(doc.text, analysis.pii) if redact and analysis.pii is not None else doc.text
    if fmt == "text":
        click.echo(text)
        return
    sections = analysis.sections
    record = {
        "source": file,
        "format": doc.format,
        "kind": analysis.kind,
        "pages": doc.pages,
        "text": text,
        "sections": [{"name": s.name, "start": s.start, "end": s.end, "heading": s.heading} for s in sections],
        "experience": to_jsonable(analysis.experience),
        "diagnostics": {**to_jsonable(doc.diagnostics), "sections_found": [s.name for s in sections]},
        "hidden_text": [{"text": h.text, "page": h.page, "reason": h.reason} for h in doc.hidden_text],
        "warnings": list(doc.warnings),
    }
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@main.group()
def taxonomy() -> None:
    """Look up, validate and summarise the skill taxonomy."""


@taxonomy.command()
@taxonomy_dir_option
@click.argument("names", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="jsonl", show_default=True)
@click.pass_context
@_one_line_errors
def lookup(ctx: click.Context, names: tuple[str, ...], fmt: str) -> None:
    """The skill each NAME (a name or alias in any spelling, an ESCO or O*NET label, an ESCO URI) denotes; id null
    when unknown. Each record carries the skill's tier and its ESCO and O*NET ids.

    Example: skillmatch taxonomy lookup sklearn k8s "Tensor Flow" "Java (computer programming)" cobol-ish
    """
    tax = _taxonomy(ctx)
    records = []
    for name in names:
        skill = tax.lookup(name)
        external = {"esco": skill.external.get("esco"), "onet": skill.external.get("onet")} if skill else None
        records.append({"query": name, "id": skill.id if skill else None, "name": skill.name if skill else None,
                        "tier": skill.tier if skill else None, "external": external})  # fmt: skip
    _emit(records, fmt, lambda r: [f"{r['query']!r:<30} -> {r['id'] or '-'}  {r['name'] or ''}"])


@taxonomy.command()
@taxonomy_dir_option
@click.pass_context
@_one_line_errors
def validate(ctx: click.Context) -> None:
    """Check every taxonomy file; print every problem (file, entry, field) and exit 1 if there is one.

    Example: SKILLMATCH_TAXONOMY_DIR=my-skills/ skillmatch taxonomy validate
    """
    from matcher.errors import TaxonomyError

    try:
        tax = _taxonomy(ctx)
    except TaxonomyError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"skillmatch: error: {len(exc.problems)} taxonomy problem(s)", err=True)
        sys.exit(1)
    tiers = Counter(s.tier for s in tax.skills.values())
    click.echo(
        f"taxonomy {tax.version}: OK ({len(tax.skills)} skills: {tiers['curated']} curated, "
        f"{tiers['long_tail']} long-tail; {len(tax.titles)} job titles)"
    )


@taxonomy.command()
@taxonomy_dir_option
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.pass_context
@_one_line_errors
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts of skills by category and kind, aliases and job titles.

    Example: skillmatch taxonomy stats --format json
    """
    tax = _taxonomy(ctx)
    by_category = Counter(s.category for s in tax.skills.values())
    record = {
        "taxonomy_version": tax.version,
        "skills": len(tax.skills),
        "aliases": len(tax.alias_index),
        "titles": len(tax.titles),
        "by_kind": dict(Counter(s.kind for s in tax.skills.values())),
        "by_category": dict(by_category.most_common()),
        "with_external_ids": sum(1 for s in tax.skills.values() if s.external),
        "by_tier": {
            tier: {
                "skills": sum(1 for s in tax.skills.values() if s.tier == tier),
                "with_esco": sum(1 for s in tax.skills.values() if s.tier == tier and "esco" in s.external),
                "with_onet": sum(1 for s in tax.skills.values() if s.tier == tier and "onet" in s.external),
            }
            for tier in ("curated", "long_tail")
        },
        "linked_concepts": len(tax.links),
    }

    def table(r: dict[str, Any]) -> Iterable[str]:
        yield f"taxonomy {r['taxonomy_version']}: {r['skills']} skills, {r['aliases']} alias keys, {r['titles']} titles"
        yield f"kinds: {r['by_kind']}; with external ids: {r['with_external_ids']}"
        for tier, counts in r["by_tier"].items():
            yield (
                f"tier {tier}: {counts['skills']} skills, {counts['with_esco']} with an ESCO id, "
                f"{counts['with_onet']} with an O*NET id"
            )
        yield f"ESCO and O*NET concepts curated skills stand for (links): {r['linked_concepts']}"
        for category, count in r["by_category"].items():
            yield f"  {category:<24} {count:>5}  {tax.categories.get(category, '')}"

    _emit([record], fmt, table)


@main.command()
@taxonomy_dir_option
@click.option("--resumes", required=True, help="A folder, a glob ('cvs/**/*.pdf') or a JSONL file of {id, text|path}.")
@click.option("--jobs", required=True, help="A folder, a glob or a JSONL file, as --resumes.")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="results.csv, .jsonl or .parquet"
)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Keep only the best K jobs per resume.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--scheduler", default=None, help="Run on the Dask cluster at tcp://HOST:PORT instead.")
@click.option("--resume", "resume_run", is_flag=True, help="Continue an interrupted run: skip the resumes done.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None, help="Resumes per chunk [default: <= 64].")
@click.pass_context
@_one_line_errors
def batch(
    ctx: click.Context, resumes: str, jobs: str, out: Path, top: int | None, workers: int | None,
    scheduler: str | None, resume_run: bool, chunk_size: int | None,
) -> None:  # fmt: skip
    """Score every resume against every job (or the top K jobs each), writing rows as it goes.

    Rows are written in atomic parts; after a crash or Ctrl-C, --resume continues with no lost or duplicated
    rows. Unreadable documents go to OUT.errors.jsonl and do not stop the run.

    Example: skillmatch batch --resumes samples/eval/resumes --jobs samples/eval/jobs --out results.csv --top 3
    """
    from matcher.batch import run_batch

    summary = run_batch(
        resumes, jobs, out, top=top, workers=workers, scheduler=scheduler, resume_run=resume_run,
        settings=_settings(ctx), chunk=chunk_size,
    )  # fmt: skip
    click.echo(summary.line(), err=True)
    if summary.interrupted:
        sys.exit(130)
