"""Scoring quality on labelled resume x job pairs and on the title ranking (samples/eval/labels.yaml).

    python benchmarks/eval_scoring.py [--labels samples/eval/labels.yaml] [--probes ...] [--violations 15]
                                      [--matrix] [--as-of YEAR]

How the labels were made: samples/eval/README.md (by hand for issue 4's pairs, by written rules from each
document's field and level since issue 17). Documents from ../shared/data are skipped when absent. Reports:

- pairwise ordering accuracy: over all pairs of labelled pairs that share a resume or a job and have different
  labels (strong > partial > poor), the share where the better-labelled pair scores strictly higher (a tie
  counts as wrong); also for same-job and same-resume comparisons, and for the comparisons that involve a
  rule-labelled pair. Target >= 0.9.
- AUC of the score: strong vs poor, strong vs the rest, strong or partial vs poor.
- verdict bands ("strong fit" / "partial fit" / "not a fit") against the labels, and the thresholds the labels
  themselves would choose.
- titles: top-1 accuracy (target >= 0.8): a resume labelled with titles is right when the ranking says some
  title fits and its best title is labelled; a resume of someone outside ML and data (``no_fit``) is right when
  the ranking says no ML title fits. Top-3 the same with the three best titles. The share of non-ML resumes
  answered "no fit" (target >= 0.9) and of ML resumes wrongly answered so.
- the seniority probe (samples/eval/seniority/probes.yaml): the same skills, a senior and a new graduate; right
  when each ranks the title of their own level above the other level's, and the senior scores higher on the
  senior job post. Target: always.
- score by label (min / median / max), and the worst ordering violations for a human to look at.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Literal

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_LABELS = REPO / "samples" / "eval" / "labels.yaml"
DEFAULT_PROBES = REPO / "samples" / "eval" / "seniority" / "probes.yaml"
LABELS = ("strong", "partial", "poor")
LABEL_RANK = {"poor": 0, "partial": 1, "strong": 2}
LEVELS = ("junior", "mid", "senior", "lead")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS, start=1)}
ORDERING_TARGET = 0.9
TITLES_TARGET = 0.8
NO_FIT_TARGET = 0.9
TOP_K = 3

Pair = tuple[str, str]  # (resume id, job id)


@dataclass(frozen=True)
class DocFacts:
    """What a person wrote down about one document before it was scored (see samples/eval/README.md)."""

    field: str | None = None
    level: str | None = None
    labelled_by: str = "hand"


@dataclass(frozen=True)
class ResumeEntry:
    id: str
    path: Path
    titles: tuple[str, ...]
    labels: Mapping[str, str]  # job id -> label
    #: the person is outside ML and data: the right title answer is "no ML title fits"
    no_fit: bool = False
    facts: DocFacts = DocFacts()


@dataclass(frozen=True)
class Rules:
    """The label rules' tables (labels.yaml: fields, adjacent, field_titles)."""

    fields: tuple[str, ...] = ()
    adjacent: frozenset[frozenset[str]] = frozenset()
    field_titles: Mapping[str, Mapping[str, tuple[str, ...]]] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class EvalSet:
    root: Path
    jobs: Mapping[str, Path]  # job id -> path
    resumes: Mapping[str, ResumeEntry]
    job_facts: Mapping[str, DocFacts] = dataclass_field(default_factory=dict)
    rules: Rules = Rules()

    def labels(self) -> dict[Pair, str]:
        """Every labelled (resume, job) pair and its label."""
        return {(r.id, job): label for r in self.resumes.values() for job, label in r.labels.items()}

    def optional(self, path: Path) -> bool:
        """A document outside samples/eval (../shared/data): skipped, not an error, when absent."""
        return not path.resolve().is_relative_to(self.root)

    def available(self) -> EvalSet:
        """The set without the optional documents that are absent on this machine."""
        jobs = {j: p for j, p in self.jobs.items() if p.is_file() or not self.optional(p)}
        resumes = {
            rid: replace(r, labels={j: lab for j, lab in r.labels.items() if j in jobs})
            for rid, r in self.resumes.items()
            if r.path.is_file() or not self.optional(r.path)
        }
        return replace(self, jobs=jobs, resumes=resumes)


def _facts(entry: Mapping[str, object]) -> DocFacts:
    field, level = entry.get("field"), entry.get("level")
    return DocFacts(
        field=None if field is None else str(field),
        level=None if level is None else str(level),
        labelled_by=str(entry.get("labelled_by", "hand")),
    )


_RESUME_KEYS = {"file", "titles", "labels"}
_RESUME_OPTIONAL = {"no_fit", "field", "level", "labelled_by"}


def load_eval_set(path: Path = DEFAULT_LABELS) -> EvalSet:
    """Read labels.yaml; paths in it are relative to the file. Structure errors raise ValueError."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("jobs"), dict)
        or not isinstance(data.get("resumes"), dict)
    ):
        raise ValueError(f"{path}: expected mappings 'jobs' and 'resumes'")
    root = Path(path).resolve().parent
    jobs: dict[str, Path] = {}
    job_facts: dict[str, DocFacts] = {}
    for job_id, entry in data["jobs"].items():
        if isinstance(entry, dict):
            jobs[str(job_id)] = root / str(entry["file"])
            job_facts[str(job_id)] = _facts(entry)
        else:
            jobs[str(job_id)] = root / str(entry)
            job_facts[str(job_id)] = DocFacts()
    resumes = {}
    for resume_id, entry in data["resumes"].items():
        if not isinstance(entry, dict) or not _RESUME_KEYS <= set(entry) <= _RESUME_KEYS | _RESUME_OPTIONAL:
            raise ValueError(
                f"{path}: resume {resume_id!r} needs exactly 'file', 'titles' and 'labels' "
                f"(and optionally {', '.join(sorted(_RESUME_OPTIONAL))})"
            )
        if not isinstance(entry["titles"], list) or not isinstance(entry["labels"], dict):
            raise ValueError(f"{path}: resume {resume_id!r}: 'titles' must be a list and 'labels' a mapping")
        resumes[str(resume_id)] = ResumeEntry(
            id=str(resume_id),
            path=root / str(entry["file"]),
            titles=tuple(str(t) for t in entry["titles"]),
            labels={str(job): str(label) for job, label in entry["labels"].items()},
            no_fit=bool(entry.get("no_fit", False)),
            facts=_facts(entry),
        )
    rules = Rules(
        fields=tuple(str(f) for f in data.get("fields") or ()),
        adjacent=frozenset(frozenset(map(str, pair)) for pair in data.get("adjacent") or ()),
        field_titles={
            str(f): {str(level): tuple(map(str, titles)) for level, titles in by_level.items()}
            for f, by_level in (data.get("field_titles") or {}).items()
        },
    )
    return EvalSet(root=root, jobs=jobs, resumes=resumes, job_facts=job_facts, rules=rules)


def rule_label(rules: Rules, resume: DocFacts, job: DocFacts) -> str:
    """The pair label the written rules give (samples/eval/README.md): same field strong within one level, else
    partial; adjacent fields partial within one level, else poor; other fields poor."""
    assert resume.field is not None
    assert resume.level is not None
    assert job.field is not None
    assert job.level is not None
    distance = abs(LEVEL_RANK[resume.level] - LEVEL_RANK[job.level])
    if resume.field == job.field:
        return "strong" if distance <= 1 else "partial"
    if frozenset((resume.field, job.field)) in rules.adjacent:
        return "partial" if distance <= 1 else "poor"
    return "poor"


def rule_titles(rules: Rules, resume: DocFacts) -> tuple[tuple[str, ...], bool]:
    """(titles, no_fit) the written rules give: ``field_titles[field][level]``; none for a field outside ML/data."""
    assert resume.field is not None
    assert resume.level is not None
    by_level = rules.field_titles.get(resume.field)
    if not by_level:
        return (), True
    return by_level[resume.level], False


def check_eval_set(eval_set: EvalSet, title_ids: Sequence[str] | None = None) -> list[str]:
    """Every problem with the set: unlabelled or unknown pairs, bad labels, unknown titles, missing files, and
    rule-labelled entries that disagree with the rules (absent optional documents are not problems)."""
    problems = []
    known_titles = set(title_ids) if title_ids is not None else None
    for job_id, path in eval_set.jobs.items():
        if not path.is_file() and not eval_set.optional(path):
            problems.append(f"job {job_id}: file {path} not found")
    for r in eval_set.resumes.values():
        if not r.path.is_file() and not eval_set.optional(r.path):
            problems.append(f"resume {r.id}: file {r.path} not found")
        for job_id in eval_set.jobs:
            if job_id not in r.labels:
                problems.append(f"resume {r.id}: no label for job {job_id}")
        for job_id, label in r.labels.items():
            if job_id not in eval_set.jobs:
                problems.append(f"resume {r.id}: label for unknown job {job_id}")
            if label not in LABELS:
                problems.append(f"resume {r.id}, job {job_id}: label {label!r} not one of {', '.join(LABELS)}")
        if not r.no_fit and not 1 <= len(r.titles) <= 3:
            problems.append(f"resume {r.id}: {len(r.titles)} titles, expected 1 to 3")
        if known_titles is not None:
            problems.extend(f"resume {r.id}: unknown title {t!r}" for t in r.titles if t not in known_titles)
        problems.extend(_rule_problems(eval_set, r))
    return problems


def _rule_problems(eval_set: EvalSet, r: ResumeEntry) -> list[str]:
    """Where a rule-labelled entry disagrees with what its field and level give."""
    rules, problems = eval_set.rules, []
    for fact, where in ((r.facts, f"resume {r.id}"), *((eval_set.job_facts[j], f"job {j}") for j in r.labels)):
        if fact.field is not None and rules.fields and fact.field not in rules.fields:
            problems.append(f"{where}: unknown field {fact.field!r}")
        if fact.level is not None and fact.level not in LEVEL_RANK:
            problems.append(f"{where}: unknown level {fact.level!r}")
    if problems or r.facts.field is None or r.facts.level is None:
        return problems
    if r.facts.labelled_by == "rules":
        titles, no_fit = rule_titles(rules, r.facts)
        if no_fit != r.no_fit or (not no_fit and set(titles) - set(r.titles)):
            problems.append(f"resume {r.id}: titles/no_fit disagree with the rules ({list(titles)}, no_fit={no_fit})")
    for job_id, label in r.labels.items():
        job = eval_set.job_facts.get(job_id, DocFacts())
        by_rules = "rules" in (r.facts.labelled_by, job.labelled_by)
        if by_rules and job.field is not None and job.level is not None:
            expected = rule_label(rules, r.facts, job)
            if expected != label:
                problems.append(f"resume {r.id}, job {job_id}: label {label!r}, the rules give {expected!r}")
    return problems


# --- metrics: pure functions over labels and scores, so they can be tested without the engine ---------------


@dataclass(frozen=True)
class Comparison:
    better: Pair  # the pair with the better label
    worse: Pair
    shared: Literal["job", "resume"]
    margin: float  # score(better) - score(worse); > 0 is a correct ordering

    @property
    def correct(self) -> bool:
        return self.margin > 0


def comparisons(labels: Mapping[Pair, str], scores: Mapping[Pair, float]) -> list[Comparison]:
    """Each unordered pair of labelled pairs sharing a resume or a job, with different labels, compared once."""
    out = []
    items = sorted(labels.items())
    for i, (a, label_a) in enumerate(items):
        for b, label_b in items[i + 1 :]:
            if label_a == label_b:
                continue
            if a[1] == b[1]:
                shared: Literal["job", "resume"] = "job"
            elif a[0] == b[0]:
                shared = "resume"
            else:
                continue
            better, worse = (a, b) if LABEL_RANK[label_a] > LABEL_RANK[label_b] else (b, a)
            out.append(Comparison(better, worse, shared, scores[better] - scores[worse]))
    return out


def ordering_accuracy(comps: Sequence[Comparison]) -> dict[str, tuple[int, int]]:
    """(correct, total) for all comparisons, same-job ones and same-resume ones."""
    result = {}
    for scope in ("all", "job", "resume"):
        chosen = [c for c in comps if scope == "all" or c.shared == scope]
        result[scope] = (sum(c.correct for c in chosen), len(chosen))
    return result


def top_k_hits(
    ranked: Mapping[str, Sequence[str]], wanted: Mapping[str, Sequence[str]], k: int = TOP_K
) -> dict[str, bool]:
    """For each resume, whether one of its wanted titles is among the first ``k`` ranked title ids."""
    return {rid: bool(set(ranked[rid][:k]) & set(titles)) for rid, titles in wanted.items()}


def score_by_label(
    labels: Mapping[Pair, str], scores: Mapping[Pair, float]
) -> dict[str, tuple[int, float, float, float]]:
    """label -> (count, min, median, max) of the scores of the pairs with that label."""
    out = {}
    for label in LABELS:
        values = [scores[p] for p, lab in labels.items() if lab == label]
        if values:
            out[label] = (len(values), min(values), statistics.median(values), max(values))
    return out


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


# --- the run ------------------------------------------------------------------------------------------------


def _components(report: object) -> str:
    """The report's score components as 'name=value' (whatever the dataclass holds), for the violation list."""
    comps = getattr(report, "components", None)
    if comps is None or not is_dataclass(comps):
        return ""
    parts = []
    for f in fields(comps):
        value = getattr(comps, f.name)
        if isinstance(value, float):
            parts.append(f"{f.name}={value:.2f}")
        elif isinstance(value, int | str) or value is None:
            parts.append(f"{f.name}={value}")
    cap = getattr(report, "cap_reason", None)
    return " ".join(parts) + (f" cap={cap!r}" if cap else "")


def _skills(report: object, which: Literal["missing", "credited"], n: int = 6) -> str:
    """The report's heaviest missing skills, or the skills that earned it most, 'id(credit via relation)'."""
    if which == "missing":
        lines = sorted(getattr(report, "missing", ()), key=lambda ln: -ln.weight)
        return ", ".join(ln.skill_id for ln in lines[:n])
    lines = [*getattr(report, "matched", ()), *getattr(report, "partial", ())]
    lines.sort(key=lambda ln: -ln.weight * ln.credit)
    return ", ".join(
        f"{ln.skill_id}({ln.credit:.2f}{f' via {ln.via}' if ln.via and ln.via != ln.skill_id else ''})"
        for ln in lines[:n]
    )


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """The probability that a positive scores above a negative (ties count half): the area under the ROC curve."""
    if not positive or not negative:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def best_threshold(scores: Sequence[float], positive: Sequence[bool]) -> tuple[float, float]:
    """(threshold, accuracy): the cut "score >= threshold means positive" that agrees with most labels; the
    threshold is the midpoint between the two scores it falls between, rounded to 0.5."""
    values = sorted(set(scores))
    candidates = [values[0] - 1] + [(a + b) / 2 for a, b in itertools.pairwise(values)] + [values[-1] + 1]
    best = (candidates[0], -1.0)
    for cut in candidates:
        right = sum((score >= cut) == pos for score, pos in zip(scores, positive, strict=True))
        if right / len(scores) > best[1]:
            best = (round(cut * 2) / 2, right / len(scores))
    return best


def best_bands(scores: Sequence[float], labels: Sequence[str], *, step: float = 0.5) -> tuple[float, float, float]:
    """(partial from, strong from, agreement): the two verdict thresholds that agree with most labels
    (strong -> "strong fit", partial -> "partial fit", poor -> "not a fit"); among ties, the widest partial band
    around the middle of the tied range."""
    grid = [i * step for i in range(int(100 / step) + 1)]
    best: tuple[int, float, float] | None = None
    tied: list[tuple[float, float]] = []
    rank = {"poor": 0, "partial": 1, "strong": 2}
    for low in grid:
        for high in (h for h in grid if h > low):
            right = sum(
                (2 if s >= high else 1 if s >= low else 0) == rank[lab] for s, lab in zip(scores, labels, strict=True)
            )
            if best is None or right > best[0]:
                best, tied = (right, low, high), [(low, high)]
            elif right == best[0]:
                tied.append((low, high))
    assert best is not None
    lows = sorted({low for low, _ in tied})
    low = lows[len(lows) // 2]
    highs = sorted(high for lw, high in tied if lw == low)
    return low, highs[len(highs) // 2], best[0] / len(scores)


@dataclass(frozen=True)
class TitleAnswer:
    """What the ranking answered for one resume."""

    ranked: tuple[str, ...]  # title ids, best first
    no_fit: bool


def title_hits(answer: TitleAnswer, entry: ResumeEntry, k: int) -> bool:
    """Right at top-``k``: "no ML title fits" for a non-ML person, else a labelled title among the first ``k``."""
    if entry.no_fit:
        return answer.no_fit
    return not answer.no_fit and bool(set(answer.ranked[:k]) & set(entry.titles))


@dataclass(frozen=True)
class ProbePair:
    name: str
    senior: Path
    graduate: Path
    senior_title: str
    junior_title: str
    senior_job: Path | None


def load_probes(path: Path = DEFAULT_PROBES) -> list[ProbePair]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    root = Path(path).resolve().parent
    return [
        ProbePair(
            name=str(name),
            senior=root / str(entry["senior"]),
            graduate=root / str(entry["graduate"]),
            senior_title=str(entry["senior_title"]),
            junior_title=str(entry["junior_title"]),
            senior_job=root / str(entry["senior_job"]) if entry.get("senior_job") else None,
        )
        for name, entry in data["pairs"].items()
    ]


def run_probe(engine: object, probe: ProbePair) -> list[tuple[str, bool]]:
    """The probe's checks, each (what was compared, right?): each person ranks their own level's title above the
    other level's, and the senior scores higher on the senior job post."""
    senior = engine.load(probe.senior, kind="resume")  # type: ignore[attr-defined]
    graduate = engine.load(probe.graduate, kind="resume")  # type: ignore[attr-defined]
    checks = []
    for who, doc, first, second in (
        ("senior", senior, probe.senior_title, probe.junior_title),
        ("graduate", graduate, probe.junior_title, probe.senior_title),
    ):
        order = [t.title_id for t in engine.rank_titles(doc)]  # type: ignore[attr-defined]
        if first not in order or second not in order:  # a taxonomy without these titles cannot rank them
            checks.append((f"{who}: {first} or {second} is no title of this taxonomy", False))
            continue
        text = f"{who}: {first} #{order.index(first) + 1} above {second} #{order.index(second) + 1}"
        checks.append((text, order.index(first) < order.index(second)))
    if probe.senior_job is not None:
        job = engine.load(probe.senior_job, kind="job")  # type: ignore[attr-defined]
        a = engine.match(senior, job).score  # type: ignore[attr-defined]
        b = engine.match(graduate, job).score  # type: ignore[attr-defined]
        checks.append((f"{probe.senior_job.stem}: senior {a:.1f} > graduate {b:.1f}", a > b))
    return checks


def _no_fit_of(ranked: Sequence[object]) -> bool:
    """The ranking's "no ML title fits" (False for an engine that cannot say it)."""
    from matcher.scoring import titles

    answer = getattr(titles, "no_fit", None)
    return bool(answer(ranked)) if answer is not None else False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--probes", type=Path, default=DEFAULT_PROBES)
    parser.add_argument("--violations", type=int, default=15, help="print the N worst ordering violations")
    parser.add_argument("--matrix", action="store_true", help="print every score beside its label")
    parser.add_argument("--as-of", type=int, default=None, help="year recency is measured from (engine default)")
    parser.add_argument(
        "--bundled-taxonomy", type=Path, default=None, help="a taxonomy directory to use instead of the bundled one"
    )
    args = parser.parse_args()

    from matcher.engine import Engine
    from matcher.taxonomy import load_taxonomy

    full_set = load_eval_set(args.labels)
    started = time.perf_counter()
    taxonomy = load_taxonomy(bundled_dir=args.bundled_taxonomy) if args.bundled_taxonomy else None
    engine = Engine(taxonomy=taxonomy, as_of=args.as_of)
    problems = check_eval_set(full_set, sorted(engine.taxonomy.titles))
    if problems:
        print("\n".join(f"labels: {p}" for p in problems), file=sys.stderr)
        return 2
    eval_set = full_set.available()
    jobs = {job_id: engine.load(path, kind="job") for job_id, path in eval_set.jobs.items()}
    resumes = {r.id: engine.load(r.path, kind="resume") for r in eval_set.resumes.values()}
    labels = eval_set.labels()
    reports = {(rid, jid): engine.match(resumes[rid], jobs[jid]) for rid, jid in labels}
    scores = {pair: float(report.score) for pair, report in reports.items()}
    ranked = {rid: engine.rank_titles(resume) for rid, resume in resumes.items()}
    answers = {rid: TitleAnswer(tuple(t.title_id for t in ts), _no_fit_of(ts)) for rid, ts in ranked.items()}
    elapsed = time.perf_counter() - started

    skipped = (len(full_set.resumes) - len(eval_set.resumes), len(full_set.jobs) - len(eval_set.jobs))
    print(
        f"taxonomy {engine.taxonomy.version}: {len(resumes)} resumes x {len(jobs)} jobs = {len(labels)} labelled "
        f"pairs, scored in {elapsed:.1f} s (engine start-up included)"
        + (f"; {skipped[0]} resumes and {skipped[1]} jobs from ../shared absent" if any(skipped) else "")
    )

    comps = comparisons(labels, scores)
    acc = ordering_accuracy(comps)
    by_rules = {p for p in labels if "rules" in (eval_set.resumes[p[0]].facts.labelled_by,
                                                 eval_set.job_facts[p[1]].labelled_by)}  # fmt: skip
    rule_comps = [c for c in comps if c.better in by_rules or c.worse in by_rules]
    print("\n## Pairwise ordering accuracy (better label scores strictly higher)")
    for scope, name in (("all", "same job or same resume"), ("job", "same job"), ("resume", "same resume")):
        hits, total = acc[scope]
        verdict = "" if scope != "all" else ("  ok" if ratio(hits, total) >= ORDERING_TARGET else "  BELOW")
        target = f"  target >= {ORDERING_TARGET}{verdict}" if scope == "all" else ""
        print(f"{name:<26} {ratio(hits, total):.3f}  ({hits}/{total}){target}")
    rule_hits = sum(c.correct for c in rule_comps)
    ok = "ok" if ratio(rule_hits, len(rule_comps)) >= ORDERING_TARGET else "BELOW"
    print(f"{'with a rule-labelled pair':<26} {ratio(rule_hits, len(rule_comps)):.3f}  "
          f"({rule_hits}/{len(rule_comps)})  target >= {ORDERING_TARGET}  {ok}")  # fmt: skip

    print("\n## AUC of the score")
    by_label = {lab: [scores[p] for p, lb in labels.items() if lb == lab] for lab in LABELS}
    for name, pos, neg in (
        ("strong vs poor", by_label["strong"], by_label["poor"]),
        ("strong vs partial or poor", by_label["strong"], by_label["partial"] + by_label["poor"]),
        ("strong or partial vs poor", by_label["strong"] + by_label["partial"], by_label["poor"]),
    ):
        print(f"{name:<26} {auc(pos, neg):.3f}  ({len(pos)} vs {len(neg)})")

    print("\n## Verdict bands against the labels")
    verdict_of = {"strong": "strong fit", "partial": "partial fit", "poor": "not a fit"}
    agree = sum(getattr(reports[p], "verdict", None) == verdict_of[lab] for p, lab in labels.items())
    print(f"verdict = label            {ratio(agree, len(labels)):.3f}  ({agree}/{len(labels)})")
    pairs = list(labels)
    low, high, right = best_bands([scores[p] for p in pairs], [labels[p] for p in pairs])
    print(
        f"labels' own bands: partial fit from {low:g}, strong fit from {high:g} (agree with {right:.3f} of the pairs)"
    )
    for name, positive in (("partial fit", lambda lab: lab != "poor"), ("strong fit", lambda lab: lab == "strong")):
        cut, right = best_threshold([scores[p] for p in pairs], [positive(labels[p]) for p in pairs])
        print(f"labels' own threshold for '{name}' alone: {cut:g} (agrees with {right:.3f} of the pairs)")

    print("\n## Job titles")
    entries = list(eval_set.resumes.values())
    top1 = {r.id: title_hits(answers[r.id], r, 1) for r in entries}
    top3 = {r.id: title_hits(answers[r.id], r, TOP_K) for r in entries}
    non_ml = [r for r in entries if r.no_fit]
    ml = [r for r in entries if not r.no_fit]
    said_no_fit = sum(answers[r.id].no_fit for r in non_ml)
    wrongly = sum(answers[r.id].no_fit for r in ml)
    n1, n3 = sum(top1.values()), sum(top3.values())
    print(f"top-1 accuracy             {ratio(n1, len(entries)):.3f}  ({n1}/{len(entries)})  target >= "
          f"{TITLES_TARGET}  {'ok' if ratio(n1, len(entries)) >= TITLES_TARGET else 'BELOW'}")  # fmt: skip
    print(f"top-{TOP_K} accuracy             {ratio(n3, len(entries)):.3f}  ({n3}/{len(entries)})")
    print(f"non-ML answered no fit     {ratio(said_no_fit, len(non_ml)):.3f}  ({said_no_fit}/{len(non_ml)})  target >= "
          f"{NO_FIT_TARGET}  {'ok' if ratio(said_no_fit, len(non_ml)) >= NO_FIT_TARGET else 'BELOW'}")  # fmt: skip
    print(f"ML answered no fit (wrong) {ratio(wrongly, len(ml)):.3f}  ({wrongly}/{len(ml)})")
    best_fit = {rid: max((t.score for t in ts if not getattr(t, "adjacent", False)), default=0.0)
                for rid, ts in ranked.items()}  # fmt: skip
    cut, right = best_threshold([best_fit[r.id] for r in entries], [not r.no_fit for r in entries])
    print(f"labels' own no-fit threshold (best ML or data title's score): {cut:g} (agrees with {right:.3f})")
    for r in entries:
        top = ", ".join(f"{t.title_id} {t.score:.1f}" for t in ranked[r.id][:TOP_K])
        said = "NO FIT " if answers[r.id].no_fit else ""
        wanted = "no fit" if r.no_fit else ", ".join(r.titles)
        mark = "hit " if top1[r.id] else ("top3" if top3[r.id] else "MISS")
        print(f"  {mark} {r.id:<26} {said}top: {top}   labelled: {wanted}")

    probes = load_probes(args.probes) if args.probes.is_file() else []
    if probes:
        print("\n## Seniority probe (same skills, senior vs new graduate)")
        right = 0
        for probe in probes:
            checks = run_probe(engine, probe)
            passed = all(ok for _, ok in checks)
            right += passed
            details = "; ".join(f"{text}{'' if ok else ' (wrong)'}" for text, ok in checks)
            print(f"  {'right' if passed else 'WRONG'} {probe.name}: {details}")
        verdict = "ok" if right == len(probes) else "BELOW"
        print(f"probe right                {right}/{len(probes)}  target: all  {verdict}")

    print("\n## Score by label")
    print(f"{'label':<8} {'n':>4} {'min':>6} {'median':>7} {'max':>6}")
    for label, (n, lo, med, hi) in score_by_label(labels, scores).items():
        print(f"{label:<8} {n:>4} {lo:>6.1f} {med:>7.1f} {hi:>6.1f}")

    violations = sorted((c for c in comps if not c.correct), key=lambda c: (c.margin, c.better, c.worse))
    if args.violations and violations:
        print(f"\n## Worst ordering violations ({min(args.violations, len(violations))} of {len(violations)})")
        for c in violations[: args.violations]:
            print(
                f"- same {c.shared}: {c.better[0]} x {c.better[1]} [{labels[c.better]}] {scores[c.better]:.1f}"
                f"  <=  {c.worse[0]} x {c.worse[1]} [{labels[c.worse]}] {scores[c.worse]:.1f}"
                f"  (by {-c.margin:.1f})"
            )
            for side in (c.better, c.worse):
                print(f"    {side[0]} x {side[1]}: {_components(reports[side])}")
            print(f"    better pair misses: {_skills(reports[c.better], 'missing')}")
            print(f"    worse pair credited for: {_skills(reports[c.worse], 'credited')}")

    if args.matrix:
        job_ids = list(eval_set.jobs)
        print("\n## Scores (S strong, p partial, . poor)")
        print(f"{'':<26}" + "".join(f"{j[:10]:>11}" for j in job_ids))
        mark = {"strong": "S", "partial": "p", "poor": "."}
        for rid in eval_set.resumes:
            cells = "".join(f"{scores[(rid, j)]:>9.1f} {mark[labels[(rid, j)]]}" for j in job_ids)
            print(f"{rid:<26}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
