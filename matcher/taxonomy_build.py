"""Generate the taxonomy's long-tail tier from the ESCO and O*NET reference data.

    python -m matcher.taxonomy_build [--reference ../shared/reference] [--out taxonomy/long_tail] [--check]
    python -m matcher.taxonomy_build --propose      # curated skills without ids, and the concepts that fit them

The curated skills (``taxonomy/skills``) are hand-written and decide; this tier only adds what they lack, so a
gap report can name the skills nobody curated (finite element analysis, SAP modules, proteomics, ...). From
ESCO v1.2.0: every skill and knowledge concept and every skill group, with its alternate labels and its broader
concepts (digital and transversal collections first when two concepts claim one label); from O*NET 29.2: every
Technology Skills example (Hot Technologies first) and the commodity titles above them as their broader skills.

Rules, applied here so that the data says them (the lexicon reads them, see :mod:`matcher.tagging.lexicon`):

- a concept a curated skill carries (``external.esco`` / ``external.onet``) is not added again: its labels go
  to ``links``, which ``taxonomy lookup`` reads and the tagger does not;
- a label whose key a curated skill (or an earlier long-tail concept) already has is dropped: the curated tier
  wins every conflict;
- a label longer than the tagger can match (``MAX_PIECES`` pieces) is dropped;
- a one-word label is *ambiguous* (kept only in a skill context) unless its spelling marks it as a name:
  CamelCase or digits ("ArchiMate", "Geant4"), capitals (an acronym, which must then be written in capitals:
  "ASIC"), or a lowercase word rare in job language ("proteomics": fewer than :data:`EVERYDAY_DF` of the O*NET
  task statements and ESCO occupation descriptions hold it); :data:`AMBIGUOUS` lists more, grown from the
  development data.

The output is sorted and written the same way every time: the same reference data gives the same bytes
(``--check`` says whether the committed files are current).
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from matcher.errors import TaxonomyProblem
from matcher.normalize import PIECE_RE, skill_key
from matcher.taxonomy import Taxonomy, _build, _read_dir, bundled_taxonomy_dir

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
#: the folder under the taxonomy that holds the generated files (the loader marks its skills ``long_tail``)
LONG_TAIL_DIR = "long_tail"
#: most pieces a label may have and still be matched (the lexicon's MAX_PIECES)
MAX_PIECES = 8
#: a lowercase one-word label found in at least this many job-language documents is an everyday word
EVERYDAY_DF = 3
#: labels that need a skill context although the rules above let them through: everyday words and phrases that
#: are also product or concept names, seen in the development data or among the O*NET examples
AMBIGUOUS = frozenset(
    skill_key(form)
    for form in [
        "atom", "legato", "slack", "box", "word", "access", "project", "teams", "office", "outlook", "analyze",
        "blink", "cents", "clipper", "compilers", "debuggers", "emulators", "cyclone", "diameter", "dig", "forth",
        "gazebo", "honeypot", "hotspot", "kismet", "loom", "magic", "harvest", "fear", "iris", "cubic", "aztec",
        "ferret", "excavator", "bowtie", "algae", "abbott", "google", "bing", "facebook", "instagram", "linkedin",
        "twitter", "youtube", "chrome", "safari", "edge", "notes", "mail", "messages", "calendar", "contacts",
        "maps", "photos", "pages", "numbers", "keynote", "paint", "publisher", "visio", "dynamics", "sharepoint",
        "english", "french", "german", "spanish", "italian", "dutch", "chinese", "japanese",
        "design", "automation", "security", "testing", "support", "development", "management", "analysis",
        "research", "planning", "operations", "maintenance", "integration", "engineering", "architecture",
        "networking", "mobile", "consulting", "marketing", "sales", "teaching", "quality", "governance",
        "compliance", "release", "service", "services", "virtual", "optimization", "optimisation", "mobility",
        "cloud", "web", "data", "internet", "software", "hardware", "computer", "computers", "technology",
        "information", "communication", "communications", "leadership", "innovation", "creativity", "research",
        "statistics", "mathematics", "physics", "chemistry", "biology", "economics", "finance", "law", "history",
        "geography", "music", "art", "arts", "philosophy", "psychology", "sociology", "medicine", "nursing",
        "pharmacology", "photography", "languages", "literature", "ethics", "logistics", "procurement",
        # phrases that job posts use in other senses ("you will be responsible for", "personal development budget")
        "be responsible", "personal development",
    ]
)  # fmt: skip
#: words that make a language's name a skill ("fluent in Swedish"), as for the curated languages
LANGUAGE_CONTEXT = (
    "language", "languages", "fluent", "fluently", "fluency", "native", "bilingual", "speak", "speaker", "speaking",
    "spoken", "written", "proficient", "proficiency", "conversational", "mother", "tongue",
)  # fmt: skip
#: O*NET commodity titles -> our categories where one fits; the rest go to ``onet_software``
_ONET_CATEGORY = {
    "Analytical or scientific software": "data_tool",
    "Data base user interface and query software": "database_sql",
    "Data base management system software": "database_sql",
    "Object oriented data base management software": "database_sql",
    "Data base reporting software": "bi_visualization",
    "Business intelligence and data analysis software": "bi_visualization",
    "Charting software": "bi_visualization",
    "Data mining software": "data_tool",
    "Financial analysis software": "business_apps",
    "Accounting software": "business_apps",
    "Enterprise resource planning ERP software": "business_apps",
    "Customer relationship management CRM software": "business_apps",
    "Human resources software": "business_apps",
    "Materials requirements planning logistics and supply chain software": "business_apps",
    "Inventory management software": "business_apps",
    "Point of sale POS software": "business_apps",
    "Time accounting software": "business_apps",
    "Facilities management software": "business_apps",
    "Compliance software": "business_apps",
    "Document management software": "business_apps",
    "Procurement software": "business_apps",
    "Sales and marketing software": "business_apps",
    "Tax preparation software": "business_apps",
    "Project management software": "office",
    "Calendar and scheduling software": "office",
    "Word processing software": "office",
    "Presentation software": "office",
    "Spreadsheet software": "office",
    "Office suite software": "office",
    "Electronic mail software": "office",
    "Instant messaging software": "office",
    "Video conferencing software": "office",
    "Desktop communications software": "office",
    "Development environment software": "software_engineering",
    "Object or component oriented development software": "software_engineering",
    "Compiler and decompiler software": "software_engineering",
    "Configuration management software": "software_engineering",
    "File versioning software": "software_engineering",
    "Graphical user interface development software": "software_engineering",
    "Requirements analysis and system architecture software": "software_engineering",
    "Program testing software": "testing_qa",
    "Web platform development software": "web_development",
    "Web page creation and editing software": "web_development",
    "Internet browser software": "web_development",
    "Operating system software": "operating_system",
    "Network monitoring software": "networking_security",
    "Network security or virtual private network VPN management software": "networking_security",
    "Network security and virtual private network VPN equipment software": "networking_security",
    "Transaction security and virus protection software": "networking_security",
    "Authentication server software": "networking_security",
    "Cloud-based protection or security software": "networking_security",
    "Switch or router software": "networking_security",
    "Cloud-based data access and sharing software": "cloud",
    "Cloud-based management software": "cloud",
    "Application server software": "infrastructure",
    "Enterprise system management software": "infrastructure",
    "Clustering software": "infrastructure",
    "Backup or archival software": "infrastructure",
    "Computer aided design CAD software": "onet_engineering",
    "Computer aided manufacturing CAM software": "onet_engineering",
    "Computer aided design CAD and computer aided manufacturing CAM system": "onet_engineering",
    "Industrial control software": "onet_engineering",
    "Manufacturing execution system MES software": "onet_engineering",
    "Medical software": "onet_medical",
    "Graphics or photo imaging software": "onet_media",
    "Video creation and editing software": "onet_media",
    "Music or sound editing software": "onet_media",
    "Desktop publishing software": "onet_media",
    "Computer imaging software": "onet_media",
    "Map creation software": "onet_media",
    "Geographic information system": "onet_media",
}
#: ESCO's top skill groups (hierarchy codes) -> our categories
_ESCO_CATEGORY = {
    "S1": "esco_communication", "S2": "esco_information", "S3": "esco_assisting_caring", "S4": "esco_management",
    "S5": "esco_computers", "S6": "esco_handling_moving", "S7": "esco_constructing", "S8": "esco_machinery",
    "K00": "esco_generic", "K01": "esco_education", "K02": "esco_arts_humanities", "K03": "esco_social_sciences",
    "K04": "esco_business_law", "K05": "esco_sciences", "K06": "esco_ict", "K07": "esco_engineering",
    "K08": "esco_agriculture", "K09": "esco_health", "K10": "esco_services", "L": "esco_languages",
}  # fmt: skip
CATEGORIES = {
    "esco_communication": "Communication, collaboration and creativity (ESCO)",
    "esco_information": "Information skills (ESCO)",
    "esco_assisting_caring": "Assisting and caring (ESCO)",
    "esco_management": "Management skills (ESCO)",
    "esco_computers": "Working with computers (ESCO)",
    "esco_handling_moving": "Handling and moving (ESCO)",
    "esco_constructing": "Constructing (ESCO)",
    "esco_machinery": "Working with machinery and specialised equipment (ESCO)",
    "esco_generic": "Generic programmes and qualifications (ESCO)",
    "esco_education": "Education (ESCO knowledge)",
    "esco_arts_humanities": "Arts and humanities (ESCO knowledge)",
    "esco_social_sciences": "Social sciences, journalism and information (ESCO knowledge)",
    "esco_business_law": "Business, administration and law (ESCO knowledge)",
    "esco_sciences": "Natural sciences, mathematics and statistics (ESCO knowledge)",
    "esco_ict": "Information and communication technologies (ESCO knowledge)",
    "esco_engineering": "Engineering, manufacturing and construction (ESCO knowledge)",
    "esco_agriculture": "Agriculture, forestry, fisheries and veterinary (ESCO knowledge)",
    "esco_health": "Health and welfare (ESCO knowledge)",
    "esco_services": "Services (ESCO knowledge)",
    "esco_languages": "Languages (ESCO)",
    "esco_other": "Other skills (ESCO)",
    "onet_engineering": "CAD, CAM and industrial software (O*NET)",
    "onet_medical": "Medical software (O*NET)",
    "onet_media": "Graphics, media and mapping software (O*NET)",
    "onet_software": "Other software and technology (O*NET)",
}
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
#: words a label does not begin with: ESCO's alternate labels hold a few fragments ("and procedures")
_CONNECTIVES = frozenset(["and", "or", "of", "to", "with", "for", "in", "on", "at", "by", "the", "a", "an", "as"])
_WORD = re.compile(r"[a-z][a-z0-9+#]*")


@dataclass
class Concept:
    """One ESCO concept or O*NET example or commodity, before it becomes a skill or a link."""

    source: str  # "esco" or "onet"
    ext_id: str  # the ESCO URI, or "tech:<example>" / "commodity:<code>" for O*NET
    name: str
    labels: list[str]
    category: str
    kind: str
    broader: list[str] = field(default_factory=list)  # ext ids
    rank: int = 9  # lower claims a label first
    group: bool = False  # an ESCO skill group: a heading above skills
    language: bool = False  # an ESCO language skill: "Swedish" is a skill next to "fluent", "spoken"


def read_esco(reference: Path) -> list[Concept]:
    """ESCO skills, knowledge and skill groups with their labels, broader concepts and categories."""
    esco = reference / "esco"
    broader: dict[str, list[str]] = {}
    with open(esco / "raw_esco_1.2.0" / "broaderRelationsSkillPillar_en.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            broader.setdefault(row["conceptUri"], []).append(row["broaderUri"])
    concepts: list[Concept] = []
    with gzip.open(esco / "derived" / "esco_skills_1.2.0.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            collections = set(filter(None, re.split(r"[,|]\s*", row["collections"])))
            top = _esco_top(row["hierarchy_codes_1_1_1"])
            soft = "transversal" in collections or top[:1] in ("T", "A")
            if soft:
                category = "soft_skill"
            elif "language" in collections:
                category = "esco_languages"
            else:
                category = _ESCO_CATEGORY.get(top, _ESCO_CATEGORY.get(top[:1], "esco_other"))
            rank = 0 if "digital" in collections else 1 if soft else 3 if "language" in collections else 2
            alternates = [a.strip() for a in row["altLabels"].split(" | ") if a.strip()]
            concepts.append(
                Concept("esco", row["conceptUri"], row["preferredLabel"].strip(), alternates, category,
                        "soft" if soft else "hard", broader.get(row["conceptUri"], []), rank,
                        language="language" in collections)
            )  # fmt: skip
    known = {c.ext_id for c in concepts}
    with open(esco / "raw_esco_1.2.0" / "skillGroups_en.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["conceptUri"] in known:
                continue
            code = row["code"].strip()
            top = f"K{code[:2]}" if code[:1].isdigit() else code[:2].upper()
            category = "soft_skill" if top[:1] in ("T", "A") else _ESCO_CATEGORY.get(top, "esco_other")
            alternates = [a.strip() for a in re.split(r"\n|\|", row["altLabels"]) if a.strip()]
            concepts.append(
                Concept("esco", row["conceptUri"], row["preferredLabel"].strip(), alternates, category,
                        "soft" if category == "soft_skill" else "hard", broader.get(row["conceptUri"], []), 5, True)
            )  # fmt: skip
    return concepts


def _esco_top(codes: str) -> str:
    """The top group of a concept's first place in ESCO's hierarchy ("S4", "K06", "T1"), or ""."""
    if not codes:
        return ""
    try:
        paths = ast.literal_eval(codes)
    except (ValueError, SyntaxError):
        return ""
    first = paths[0] if paths else []
    return str(first[1]) if len(first) > 1 and first[1] else str(first[0]) if first else ""


def read_onet(reference: Path) -> list[Concept]:
    """O*NET Technology Skills examples (Hot Technologies first) and their commodity titles as broader skills."""
    rows: list[dict[str, str]] = []
    with open(reference / "onet" / "slices" / "technology_examples_all_occupations.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (r["hot_any"] != "Y", r["in_demand_any"] != "Y", r["Example"], r["Commodity Code"]))
    concepts: dict[str, Concept] = {}
    commodities: dict[str, Concept] = {}
    for row in rows:
        title, code = row["Commodity Title"].strip(), row["Commodity Code"].strip()
        category = _ONET_CATEGORY.get(title, "onet_software")
        commodity_id = f"commodity:{code}"
        if commodity_id not in commodities:
            commodities[commodity_id] = Concept("onet", commodity_id, title, [], category, "hard", [], 8)
        example = row["Example"].strip()
        ext_id = f"tech:{example}"
        if ext_id in concepts:
            if len(concepts[ext_id].broader) < 2 and commodity_id not in concepts[ext_id].broader:
                concepts[ext_id].broader.append(commodity_id)
            continue
        rank = 4 if row["hot_any"] == "Y" else 6
        concepts[ext_id] = Concept("onet", ext_id, example, [], category, "hard", [commodity_id], rank)
    vendors = _vendors(concepts.values())
    for concept in concepts.values():
        first, _, rest = concept.name.partition(" ")
        if first in vendors and len(PIECE_RE.findall(rest)) >= 1:
            concept.labels.append(rest)  # "Atlassian JIRA" -> "JIRA", "IBM SPSS Statistics" -> "SPSS Statistics"
    return [*concepts.values(), *commodities.values()]


def _vendors(concepts: Iterable[Concept]) -> frozenset[str]:
    """First words that begin at least five O*NET product names: vendors ("Microsoft", "Oracle", "Autodesk")."""
    counts = Counter(c.name.split(" ", 1)[0] for c in concepts if " " in c.name)
    return frozenset(word for word, n in counts.items() if n >= 5 and word[:1].isupper())


def job_language_df(reference: Path) -> Counter[str]:
    """In how many job-language documents (O*NET task statements, ESCO occupation descriptions) each word is."""
    df: Counter[str] = Counter()
    with open(reference / "onet" / "raw_onet_29.2" / "Task Statements.txt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            df.update(set(_WORD.findall(row["Task"].lower())))
    with open(reference / "esco" / "raw_esco_1.2.0" / "occupations_en.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            df.update(set(_WORD.findall(row["description"].lower())))
    return df


def curated_taxonomy(taxonomy_dir: Path) -> Taxonomy:
    """The curated tier alone: every taxonomy file but the generated ones."""
    problems: list[TaxonomyProblem] = []
    files = [(path, data) for path, data in _read_dir(taxonomy_dir, problems, None)
             if not path.startswith(f"{LONG_TAIL_DIR}/")]  # fmt: skip
    taxonomy = _build([files], problems, str(taxonomy_dir), None)
    return taxonomy


def _inner_names(curated: Taxonomy) -> frozenset[str]:
    """Keys of the curated names a long-tail label may not hold: all but one-letter ones ("R", "C"). An ambiguous
    one counts too: "speak German" would hide "German", which its own context rules judge."""
    return frozenset(key for key in curated.alias_index if len(key) >= 2)


def _spelt_as(key: str, taken: set[str]) -> bool:
    """Whether ``key`` is a curated key or its singular or plural: the tagger reads "managing project" as the
    curated "managing projects", and a long-tail "managing project" would take it away."""
    stems = [key + "s", key + "es", key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""]
    if key.endswith("ies"):
        stems.append(key[:-3] + "y")
    if key.endswith("y"):
        stems.append(key[:-1] + "ies")
    return key in taken or any(stem in taken for stem in stems if stem)


def _shares_word(pieces: list[str], name: str) -> bool:
    """Whether a label shares a word (its first four letters: "designing", "design") with the preferred label."""
    stems = {p.lower()[:4] for p in PIECE_RE.findall(name) if p.lower() not in _CONNECTIVES}
    return any(piece[:4] in stems for piece in pieces if piece not in _CONNECTIVES)


def _holds_curated_name(pieces: list[str], inner: frozenset[str]) -> bool:
    """Whether a run of whole pieces of a label, short of the whole label, is a curated name: "use machine
    learning" holds "machine learning", which the curated skill is found as instead."""
    n = len(pieces)
    return any("".join(pieces[i:j]) in inner for i in range(n) for j in range(i + 1, n + 1) if (i, j) != (0, n))


def is_ambiguous(form: str, df: Mapping[str, int]) -> bool:
    """Whether a long-tail form needs a skill context: see the module docstring."""
    key = skill_key(form)
    if key in AMBIGUOUS:
        return True
    pieces = PIECE_RE.findall(form)
    if len(pieces) != 1:
        return False
    word = pieces[0]
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return True  # a number ("2000") names nothing alone
    if any(c.isdigit() for c in word) or word[-1:] in "+#":
        return False  # "Geant4", "Charm++"
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        # an acronym ("ASIC"), unless it is also a word ("MAGIC") or short enough to mean many things ("HR", "CT")
        return len(letters) <= 3 or df.get(key, 0) >= EVERYDAY_DF
    if any(c.isupper() for c in word[1:]):
        return df.get(key, 0) >= EVERYDAY_DF  # CamelCase ("ArchiMate", "LinkedIn"), unless a word ("ProFile")
    if word[0].isupper():
        return True  # a capitalised plain word ("Gazebo", "Eclipse") is a word first
    return df.get(key, 0) >= EVERYDAY_DF


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:60].rstrip("_") or "x"


def _forms(concept: Concept) -> list[str]:
    """The concept's labels as written, then without a trailing qualifier ("Eclipse (software)" -> "Eclipse")."""
    forms: list[str] = []
    for label in (concept.name, *concept.labels):
        for form in (label, _QUALIFIER.sub("", label)):
            form = " ".join(form.split())[:200]
            if form and form not in forms:
                forms.append(form)
    return forms


def generate(reference: Path, taxonomy_dir: Path) -> dict[str, str]:
    """The generated files (name -> text) from the reference data and the curated skills in ``taxonomy_dir``."""
    curated = curated_taxonomy(taxonomy_dir)
    df = job_language_df(reference)
    concepts = [c for c in read_esco(reference) + read_onet(reference) if _forms(c)]
    by_ext = {c.ext_id: c for c in concepts}
    carried: dict[str, str] = {}  # ext id -> curated skill id
    for skill in curated.skills.values():
        for source in ("esco", "onet"):
            ext = skill.external.get(source)
            if ext and ext in by_ext:
                carried[ext] = skill.id
    for concept in concepts:  # an O*NET product a curated skill names is that skill ("Oracle Java" -> Java)
        if concept.ext_id.startswith("tech:") and concept.ext_id not in carried:
            for form in (concept.name, _QUALIFIER.sub("", concept.name)):
                owner = curated.alias_index.get(skill_key(form))
                if owner is not None:
                    carried[concept.ext_id] = owner
                    break
    taken: set[str] = set(curated.alias_index)
    inner = _inner_names(curated)

    def matchable(form: str, concept: Concept) -> bool:
        """Whether the tagger may match the form (else lookup alone finds it)."""
        pieces = [p.lower() for p in PIECE_RE.findall(form)]
        if not 0 < len(pieces) <= MAX_PIECES or pieces[0] in _CONNECTIVES or _holds_curated_name(pieces, inner):
            return False  # too long to match, a fragment ("and procedures"), or a curated name is found there
        if len(pieces) > 1 and df.get("".join(pieces), 0):
            return False  # written together it is a word: "use RS" would be found in "users"
        alternate = form not in (concept.name, _QUALIFIER.sub("", concept.name))
        if len(pieces) == 1 and concept.ext_id in carried:
            return False  # a curated skill has its own one-word names, and their ambiguity rules
        if len(pieces) == 1 and (concept.group or (alternate and is_ambiguous(form, df))):
            return False  # a group's one-word name ("knowledge") or a one-word synonym ("engineering") is too broad
        if alternate and concept.source == "esco" and not _shares_word(pieces, concept.name):
            return False  # a loose synonym: "support colleagues" for "work in teams", "cT" for "computer programming"
        if alternate and concept.source == "onet":  # a product name without its vendor: "SPSS Statistics"
            return any(not is_ambiguous(piece, df) for piece in PIECE_RE.findall(form))
        return True

    # a key goes to the best claim: the labels of concepts curated skills carry (they are those skills), then
    # preferred labels, then alternate labels; among these, the concept ranked first (digital, transversal, other
    # ESCO, O*NET hot...), then the one whose preferred label is most like the form ("working independently" is
    # an alternate label of "work independently" and of "show commitment")
    best: dict[str, tuple[int, int, float, str, str]] = {}
    for concept in concepts:
        for position, form in enumerate(_forms(concept)):
            key = skill_key(form)
            if not key or _spelt_as(key, taken) or not matchable(form, concept):
                continue
            stage = 0 if concept.ext_id in carried else 1 if position == 0 else 2
            likeness = 100.0 if position == 0 else fuzz.ratio(form.lower(), concept.name.lower())
            claim = (stage, concept.rank, -likeness, concept.source, concept.ext_id)
            if key not in best or claim < best[key]:
                best[key] = claim
    claimed = {key: claim[-1] for key, claim in best.items()}
    skill_ids: dict[str, str] = {}
    ids: set[str] = set(curated.skills)
    for concept in sorted(concepts, key=lambda c: (c.source, c.ext_id)):
        if concept.ext_id in carried:
            continue
        base = f"{concept.source}_{_slug(_QUALIFIER.sub('', concept.name) or concept.name)}"
        sid, n = base, 2
        while sid in ids:
            sid, n = f"{base}_{n}", n + 1
        ids.add(sid)
        skill_ids[concept.ext_id] = sid
    lookup_only: set[str] = set(taken) | set(claimed)  # a label lookup finds but the tagger does not match

    def labels_of(concept: Concept) -> tuple[list[str], list[str], list[str]]:
        """(its matched forms, their ambiguous ones, its lookup-only labels)"""
        own, labels = [], []
        for form in _forms(concept):
            key = skill_key(form)
            if claimed.get(key) == concept.ext_id:
                own.append(form)
            elif key and key not in lookup_only:
                lookup_only.add(key)
                labels.append(form)
        return own, [f for f in own if is_ambiguous(f, df)], labels

    files: dict[str, list[str]] = {"esco": [], "onet": []}
    links: list[tuple[str, str, str, str]] = []
    for concept in sorted(concepts, key=lambda c: (c.ext_id in carried, skill_ids.get(c.ext_id, ""), c.ext_id)):
        own, ambiguous, labels = labels_of(concept)
        entry: dict[str, object]
        if concept.ext_id in carried:
            entry = {"skill": carried[concept.ext_id], concept.source: concept.ext_id}
            for field_name, values in (("aliases", own), ("ambiguous", ambiguous), ("labels", labels)):
                if values:
                    entry[field_name] = values
            links.append((carried[concept.ext_id], concept.source, concept.ext_id, _flow(entry)))
            continue
        sid = skill_ids[concept.ext_id]
        name = _forms(concept)[0]
        entry = {"id": sid, "name": name, "category": concept.category, "kind": concept.kind}
        broader: list[str] = []
        for ext in concept.broader:
            target = skill_ids.get(ext) or carried.get(ext)
            if target and target not in broader and target != sid:
                broader.append(target)
        for field_name, values in (
            ("aliases", own),
            ("broader", broader[:3]),
            ("ambiguous", ambiguous),
            ("labels", [f for f in labels if f != name]),
        ):
            if values:
                entry[field_name] = values
        if concept.language and ambiguous:
            entry["context"] = list(LANGUAGE_CONTEXT)
        if concept.source == "esco" or concept.ext_id.startswith("tech:"):
            entry["external"] = {concept.source: concept.ext_id}
        files[concept.source].append(_flow(entry))
    header = (
        "# GENERATED by `python -m matcher.taxonomy_build` from {source}: do not edit; edit the curated skills or the\n"
        "# generator and run it again. The long-tail tier: stricter matching, the curated skills win every conflict\n"
        "# (see docs/taxonomy-tiers.md). Licence and attribution: NOTICE.md beside this file.\n"
    )
    out = {
        "esco.yaml": header.format(source="ESCO v1.2.0")
        + "tier: long_tail\ncategories:\n"
        + "".join(f"  {cid}: {{name: {_scalar(name)}}}\n" for cid, name in CATEGORIES.items())
        + "skills:\n"
        + "".join(f"  - {line}\n" for line in files["esco"]),
        "onet.yaml": header.format(source="O*NET 29.2 Technology Skills")
        + "tier: long_tail\nskills:\n"
        + "".join(f"  - {line}\n" for line in files["onet"]),
        "links.yaml": header.format(source="ESCO v1.2.0 and O*NET 29.2")
        + "# The ESCO concepts and O*NET examples that curated skills stand for, with their labels: `aliases` are\n"
        + "# matched in text under the long-tail rules, `labels` only found by `taxonomy lookup`.\n"
        + "tier: long_tail\nlinks:\n"
        + "".join(f"  - {line}\n" for *_, line in sorted(links)),
    }
    return out


def _flow(entry: Mapping[str, object]) -> str:
    """One YAML flow mapping on one line, every string quoted where YAML needs it."""
    parts = []
    for key, value in entry.items():
        if isinstance(value, list):
            parts.append(f"{key}: [{', '.join(_scalar(v) for v in value)}]")
        elif isinstance(value, dict):
            parts.append(f"{key}: {{{', '.join(f'{k}: {_scalar(v)}' for k, v in value.items())}}}")
        else:
            parts.append(f"{key}: {_scalar(str(value))}")
    return "{" + ", ".join(parts) + "}"


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ._-]*$")
_YAML_WORDS = frozenset(["yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"])


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that is safe, else double-quoted (JSON escaping is valid YAML)."""
    if _PLAIN.match(value) and value.lower() not in _YAML_WORDS and not value.endswith((" ", ".", "-")):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def propose(reference: Path, taxonomy_dir: Path) -> Iterator[str]:
    """Curated skills without an ESCO or O*NET id, each with the concepts whose preferred label (or, for O*NET,
    example name) has the key of the skill's name or an alias: candidates for a curator to check, never applied."""
    curated = curated_taxonomy(taxonomy_dir)
    concepts = read_esco(reference) + read_onet(reference)
    by_key: dict[str, list[Concept]] = {}
    for concept in concepts:
        if concept.ext_id.startswith("commodity:"):
            continue
        for form in _forms(concept)[:2]:
            by_key.setdefault(skill_key(form), []).append(concept)
    carried = {ext for s in curated.skills.values() for ext in s.external.values()}
    for skill in sorted(curated.skills.values(), key=lambda s: s.id):
        for source in ("esco", "onet"):
            if skill.external.get(source):
                continue
            found = []
            for form in (skill.name, *skill.aliases):
                for concept in by_key.get(skill_key(form), []):
                    if concept.source == source and concept.ext_id not in carried and concept not in found:
                        found.append(concept)
            for concept in found:
                yield f"{skill.id}\t{source}\t{concept.ext_id}\t{concept.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--taxonomy", type=Path, default=bundled_taxonomy_dir())
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files are not current")
    parser.add_argument("--propose", action="store_true", help="print candidate ids for curated skills (TSV)")
    args = parser.parse_args(argv)
    if not args.reference.is_dir():
        sys.stderr.write(f"reference data not found at {args.reference}\n")
        return 2
    if args.propose:
        sys.stdout.writelines(f"{line}\n" for line in propose(args.reference, args.taxonomy))
        return 0
    out_dir = args.taxonomy / LONG_TAIL_DIR
    generated = generate(args.reference, args.taxonomy)
    stale = [name for name, text in generated.items() if _read(out_dir / name) != text]
    if args.check:
        for name in stale:
            sys.stderr.write(f"{out_dir / name} is not current: run python -m matcher.taxonomy_build\n")
        return 1 if stale else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (out_dir / name).write_text(generated[name], encoding="utf-8")
    sys.stdout.write(f"{len(stale)} of {len(generated)} files written to {out_dir}\n")
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


if __name__ == "__main__":
    raise SystemExit(main())
