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
import csv
import gzip
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402

from matcher.normalize import skill_key  # noqa: E402
from matcher.tagging.lexicon import SkillLexicon  # noqa: E402
from matcher.tagging.pipeline import build_nlp  # noqa: E402
from matcher.tagging.tagger import Tagger  # noqa: E402
from matcher.taxonomy import Taxonomy, load_taxonomy, taxonomy_from_data, taxonomy_to_data  # noqa: E402
from tests.matcher.tagging.test_lexicon import _WalkEveryPiece  # noqa: E402

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


def docs_per_second(pipe: Callable[[list[str]], Iterable[object]], texts: list[str], runs: int) -> tuple[float, float]:
    """(first pass, median of later passes) in documents per second."""
    rates = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        for _doc in pipe(texts):
            pass
        rates.append(len(texts) / (time.perf_counter() - start))
    return rates[0], statistics.median(rates[1:])


def grown_taxonomy(taxonomy: Taxonomy, names: int) -> Taxonomy:
    """``taxonomy`` with long-tail skills added until it holds about ``names`` names: ESCO's labels (real
    phrases: "manage musical staff", "use spreadsheets software") where ../shared has them, else made-up words."""
    esco = REPO.parent / "shared" / "reference" / "esco" / "derived" / "esco_skills_1.2.0.csv.gz"
    labels: list[list[str]] = []
    if esco.exists():
        with gzip.open(esco, "rt", encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                alt = [a.strip() for a in row["altLabels"].split(" | ") if a.strip()]
                labels.append([row["preferredLabel"], *alt])
    else:
        rng = random.Random(7)
        syllables = ["ka", "lo", "mi", "ne", "ro", "ta", "vu", "zen", "dat", "ops", "flow", "graph"]
        labels = [
            [" ".join("".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(rng.randint(1, 3)))]
            for _ in range(names)
        ]
    data = taxonomy_to_data(taxonomy)
    taken = {skill_key(form) for skill in data["skills"] for form in (skill["name"], *skill["aliases"])}
    for number, forms in enumerate(labels):
        fresh = [form[:200] for form in forms if skill_key(form) and skill_key(form) not in taken]
        fresh = fresh[: max(0, names - len(taken))]
        if not fresh:
            continue
        taken.update(map(skill_key, fresh))
        skill = {"id": f"tail_{number}", "name": fresh[0], "category": "software_engineering", "kind": "hard"}
        data["skills"].append({**skill, "aliases": fresh[1:]})
    return taxonomy_from_data(data, source="grown")


def core_scaling(taxonomy: Taxonomy, texts: list[str], runs: int, names: int) -> None:
    """The matching core on the bundled taxonomy and on one grown to ``names`` names: its cost must not grow
    with the number of names. The walk from every piece (the tests' reference) is the before."""
    grown = grown_taxonomy(taxonomy, names)
    print(
        f"matching core (SkillLexicon.find), bundled {len(taxonomy.alias_index)} names vs grown to "
        f"{len(grown.alias_index)}:"
    )
    rates = {}
    for label, tax in (("bundled", taxonomy), ("grown", grown)):
        for core, lexicon in (("name starts", SkillLexicon(tax)), ("walk every piece", _WalkEveryPiece(tax))):
            rates[label, core] = docs_per_second(lambda batch, lx=lexicon: map(lx.find, batch), texts, runs)[1]
            print(f"  {label:<8} {core:<18} {rates[label, core]:>8.0f}/s")
    for core in ("name starts", "walk every piece"):
        print(f"  ratio grown / bundled, {core}: {rates['grown', core] / rates['bundled', core]:.2f} (target ~1)")
    speed_up = rates["bundled", "name starts"] / rates["bundled", "walk every piece"]
    print(f"  speed-up name starts / walk every piece, bundled: {speed_up:.2f}")


_TIER_RSS = """
import sys
from pathlib import Path
from matcher.tagging.lexicon import SkillLexicon
from matcher.taxonomy import load_taxonomy
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024
before = rss()
lexicon = SkillLexicon(load_taxonomy(bundled_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2])))
for text in sys.argv[3:]:
    lexicon.find(text)
print(rss() - before)
"""


def tier_cost(texts: list[str], runs: int) -> None:
    """Issue 13's limits: the matching core with both tiers against the curated tier alone (a copy of the
    bundled taxonomy without ``long_tail/``), best of ``runs`` interleaved passes (<= 15% slower), and the memory
    a fresh process adds by loading each from the compiled cache and tagging (<= 100 MB more)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        curated_dir, cache = Path(tmp) / "curated", Path(tmp) / "cache"
        shutil.copytree(REPO / "taxonomy", curated_dir, ignore=shutil.ignore_patterns("long_tail"))
        lexicons = {
            "curated only": SkillLexicon(load_taxonomy(bundled_dir=curated_dir, cache_dir=cache)),
            "both tiers": SkillLexicon(load_taxonomy(bundled_dir=REPO / "taxonomy", cache_dir=cache)),
        }
        best = dict.fromkeys(lexicons, float("inf"))
        for _ in range(runs + 1):
            for name, lexicon in lexicons.items():
                start = time.perf_counter()
                for text in texts:
                    lexicon.find(text)
                best[name] = min(best[name], time.perf_counter() - start)
        rss = {}
        for name, directory in (("curated only", curated_dir), ("both tiers", REPO / "taxonomy")):
            command = [sys.executable, "-c", _TIER_RSS, str(directory), str(cache), *texts[:20]]
            rss[name] = int(subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout)
    print("tiers (issue 13): matching core, best of interleaved passes; RSS a process adds to load and tag with it")
    for name in lexicons:
        print(f"  {name:<14} {len(texts) / best[name]:>8.0f} docs/s  {rss[name]:>5} MB")
    ratio = best["curated only"] / best["both tiers"]
    extra = rss["both tiers"] - rss["curated only"]
    print(f"  both / curated speed: {ratio:.2f} (target >= 0.85); memory: +{extra} MB (target <= 100)")


def startup_seconds(sample: Path, runs: int = 7) -> tuple[float, float]:
    """Median wall times of two fresh processes, run in turn: `skillmatch tag FILE` (start to first result) and
    `python -c "import spacy; spacy.blank('en')"`, the floor of any command that needs spaCy."""
    commands = {
        # the installed ``skillmatch`` (api.cli: the library's commands on the service's settings)
        "tag": [sys.executable, "-m", "api.cli", "tag", str(sample), "--format", "jsonl"],
        "spacy": [sys.executable, "-c", "import spacy; spacy.blank('en')"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=REPO)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["tag"]), statistics.median(times["spacy"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=70_000, help="names in the grown taxonomy (0: skip)")
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
        print(
            f"tagger + recogniser: {on_rate:.0f} docs/s warm, {tagger_rate / on_rate:.1f}x slower than without "
            f"(>= 300/s to be on by default: {verdict})"
        )
    if args.names:
        core_scaling(taxonomy, texts, args.runs, args.names)
    tier_cost(texts, args.runs)
    sample = REPO / "samples" / "resumes" / "ml_engineer_resume.md"
    startup, spacy_startup = startup_seconds(sample)
    print(f"process start to first result (skillmatch tag, median of 7): {startup:.2f} s (target <= 2 s)")
    print(
        f"  vs import spacy + spacy.blank('en') in the same run: {spacy_startup:.2f} s, ratio "
        f"{startup / spacy_startup:.2f} (target <= 0.5)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
