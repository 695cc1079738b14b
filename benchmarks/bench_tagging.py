"""Tagging speed: documents/s for bare ``spacy.blank("en")`` tokenisation and for the full tagger, with and
without the trained recogniser (``SKILLMATCH_RECOGNISER``), in the same run.

    python benchmarks/bench_tagging.py [--docs 200] [--runs 5] [--no-recogniser]

Texts are resume-length (~700 words), cut from the real resumes of ../shared/data/dev (Dotin set) where
present, else from samples/. Prints the median of several runs, the ratio tagger / bare tokenisation
(target >= 0.8), the tagger with the recogniser (on by default only at >= 300 docs/s per core, warm), and
process start to first result (target <= 2 s). One process: each figure is one core's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402

from matcher.pipeline import build_nlp  # noqa: E402
from matcher.tagging import Tagger  # noqa: E402
from matcher.taxonomy import load_taxonomy  # noqa: E402

WORDS_PER_DOC = 700


def resume_texts(count: int) -> list[str]:
    """``count`` distinct ~700-word texts made of real resume text."""
    dotin = REPO.parent / "shared" / "data" / "dev" / "spans-dotin-train.jsonl"
    if dotin.exists():
        sources = [json.loads(line)["text"] for line in dotin.read_text(encoding="utf-8").splitlines()]
    else:
        sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").rglob("*.md"))]
    words = " \n ".join(sources).split(" ")
    texts = []
    for i in range(count):
        start = (i * 997) % max(1, len(words) - WORDS_PER_DOC)
        texts.append(" ".join(words[start : start + WORDS_PER_DOC]))
    return texts


def docs_per_second(
    pipe: Callable[[list[str]], Iterable[object]], texts: list[str], runs: int
) -> tuple[float, float]:
    """(first pass, median of later passes) in documents per second."""
    rates = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        for _doc in pipe(texts):
            pass
        rates.append(len(texts) / (time.perf_counter() - start))
    return rates[0], statistics.median(rates[1:])


def startup_seconds(sample: Path, runs: int = 7) -> float:
    """Median wall time of `skillmatch tag FILE` as a fresh process: start to first result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "matcher", "tag", str(sample), "--format", "jsonl"],
                       check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-recogniser", action="store_true", help="leave out the rows with the recogniser")
    args = parser.parse_args()
    texts = resume_texts(args.docs)
    taxonomy = load_taxonomy()
    print(f"{len(texts)} texts of ~{WORDS_PER_DOC} words; taxonomy {taxonomy.version} ({len(taxonomy.skills)} skills)")
    bare = spacy.blank("en")
    tagger = Tagger(taxonomy, nlp=build_nlp(taxonomy))
    stock = build_nlp(taxonomy, fast_tokenizer=False)
    rows: dict[str, Callable[[list[str]], Iterable[object]]] = {
        "bare spacy.blank('en') tokeniser": lambda batch: bare.pipe(batch, batch_size=64),
        # the blank pipeline's tokens are not used: Tagger finds mentions with the lexicon directly
        "tagger (default)": tagger.mentions_many,
        # what a caller of nlp() gets: Docs from the stock tokeniser with doc._.skill_mentions
        "spaCy component, stock tokeniser": lambda batch: (d._.skill_mentions for d in stock.pipe(batch)),
    }
    if not args.no_recogniser:
        from matcher.recogniser import SkillRecogniser

        recogniser = SkillRecogniser()
        with_model = Tagger(taxonomy, nlp=tagger.nlp, recogniser=recogniser)
        # what `tag`, `match`, batch and the service get with SKILLMATCH_RECOGNISER=on: mentions and unlinked
        rows["tagger + recogniser"] = with_model.find_many
        rows["recogniser alone"] = recogniser.spans_many
    results = {name: docs_per_second(pipe, texts, args.runs) for name, pipe in rows.items()}
    print(f"{'pipeline':<36} {'first pass':>12} {'median':>12}")
    for name, (first, median) in results.items():
        print(f"{name:<36} {first:>10.0f}/s {median:>10.0f}/s")
    bare_rate = results["bare spacy.blank('en') tokeniser"][1]
    tagger_rate = results["tagger (default)"][1]
    stock_rate = results["spaCy component, stock tokeniser"][1]
    print(f"ratio tagger / bare tokenisation: {tagger_rate / bare_rate:.2f} (target >= 0.8)")
    print(f"ratio spaCy component on the stock tokeniser / bare tokenisation: {stock_rate / bare_rate:.2f}")
    if "tagger + recogniser" in results:
        on_rate = results["tagger + recogniser"][1]
        verdict = "on by default" if on_rate >= 300 else "off by default"
        print(f"tagger + recogniser: {on_rate:.0f} docs/s warm, {tagger_rate / on_rate:.1f}x slower than without "
              f"(>= 300/s to be on by default: {verdict})")
    sample = REPO / "samples" / "resumes" / "ml_engineer_resume.md"
    startup = startup_seconds(sample)
    print(f"process start to first result (skillmatch tag, median of 7): {startup:.2f} s (target <= 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
