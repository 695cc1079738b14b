"""Span-overlap recall and precision of the tagger against the labelled development sets.

    python benchmarks/eval_spans.py [--data-dir ../shared/data/dev] [--misses 30]

Recall: share of gold spans (of the evaluated labels) that one of our mentions overlaps. Precision: share of our
mentions that overlap a gold span of those labels ("any label": of any label in the file, since the annotators
did not mark every skill). Targets: F1 >= 0.70 on SkillSpan tech / knowledge, >= 0.60 on Dotin
tech_tools + job_skills.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from matcher.tagging import Tagger  # noqa: E402


@dataclass(frozen=True)
class EvalSet:
    name: str
    file: str
    sources: frozenset[str] | None
    labels: frozenset[str]
    target_f1: float


SETS = [
    EvalSet("skillspan-tech/knowledge", "spans-skillspan-dev.jsonl", frozenset({"skillspan-tech"}),
            frozenset({"knowledge"}), 0.70),
    EvalSet("dotin/tech_tools+job_skills", "spans-dotin-train.jsonl", None,
            frozenset({"tech_tools", "job_skills"}), 0.60),
]


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of ``spans`` (sorted by start)."""
    i = bisect.bisect_left(spans, (end, end))
    return any(s < end and start < e for s, e in spans[max(0, i - 50) : i])


def evaluate(
    tagger: Tagger, eval_set: EvalSet, data_dir: Path, misses: int, kind: str | None = None
) -> dict[str, float]:
    docs = [json.loads(line) for line in (data_dir / eval_set.file).read_text(encoding="utf-8").splitlines()]
    docs = [d for d in docs if eval_set.sources is None or d["source"] in eval_set.sources]
    gold_total = gold_hit = pred_total = pred_hit = pred_hit_any = 0
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for doc, mentions in zip(docs, tagger.mentions_many(d["text"] for d in docs), strict=True):
        gold = sorted((s["start"], s["end"]) for s in doc["spans"] if s["label"] in eval_set.labels)
        gold_any = sorted((s["start"], s["end"]) for s in doc["spans"])
        skills = tagger.taxonomy.skills
        predicted = sorted((m.start, m.end) for m in mentions if kind is None or skills[m.skill_id].kind == kind)
        for start, end in gold:
            gold_total += 1
            if overlaps(predicted, start, end):
                gold_hit += 1
            else:
                missed[doc["text"][start:end].lower()] += 1
        for start, end in predicted:
            pred_total += 1
            if overlaps(gold, start, end):
                pred_hit += 1
            else:
                spurious[doc["text"][start:end].lower()] += 1
            pred_hit_any += overlaps(gold_any, start, end)
    recall = gold_hit / gold_total if gold_total else 0.0
    precision = pred_hit / pred_total if pred_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if misses:
        print(f"\n## {eval_set.name}: most frequent misses")
        print(", ".join(f"{t!r}x{n}" for t, n in missed.most_common(misses)))
        print(f"## {eval_set.name}: most frequent mentions outside gold")
        print(", ".join(f"{t!r}x{n}" for t, n in spurious.most_common(misses)))
    return {
        "docs": len(docs), "gold": gold_total, "mentions": pred_total, "recall": recall,
        "precision": precision, "precision_any_label": pred_hit_any / pred_total if pred_total else 0.0, "f1": f1,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "dev")
    parser.add_argument("--misses", type=int, default=0, help="print the N most frequent misses and extras")
    parser.add_argument(
        "--kind", choices=["hard", "soft"], default=None,
        help="score only mentions of this kind: the evaluated labels are tools and technical skills, i.e. hard",
    )
    args = parser.parse_args()
    if not args.data_dir.is_dir():
        print(f"development data not found at {args.data_dir}", file=sys.stderr)
        return 2
    tagger = Tagger()
    scope = f", {args.kind} skills only" if args.kind else ""
    print(f"taxonomy {tagger.taxonomy.version}: {len(tagger.taxonomy.skills)} skills{scope}")
    print(f"{'set':<30} {'docs':>5} {'gold':>6} {'found':>6} {'recall':>7} {'prec':>7} {'prec*':>7} {'F1':>6}  target")
    for eval_set in SETS:
        r = evaluate(tagger, eval_set, args.data_dir, args.misses, args.kind)
        verdict = "ok" if r["f1"] >= eval_set.target_f1 else "BELOW"
        print(
            f"{eval_set.name:<30} {r['docs']:>5} {r['gold']:>6} {r['mentions']:>6} {r['recall']:>7.3f} "
            f"{r['precision']:>7.3f} {r['precision_any_label']:>7.3f} {r['f1']:>6.3f}  >={eval_set.target_f1} {verdict}"
        )
    print("prec* = precision against gold spans of any label")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
