"""Write the parsing samples: our own ML-hiring resumes and job posts, and broken files, in every format.

Run from the repository root: ``python samples/make_samples.py``. The outputs are committed, so tests never
need this script or its tools. It needs only what skillmatch already depends on:

* PDFs are drawn with pypdfium2's page-object API (PDFium's standard Helvetica fonts), so the layout of each
  line is exact: the two-column sample's sidebar, the keyword-stuffing tricks, a scanned (image-only) page;
* the encrypted PDF is written by hand (PDFium cannot encrypt): RC4 40-bit, the PDF standard security
  handler revision 2, with a user password, so it cannot be opened without one;
* the DOCX files are written with python-docx, the image with Pillow (a pypdfium2 dependency here); the zip
  bomb is a zip whose ``word/document.xml`` inflates to 64 MB of spaces.

All text is written for these samples (names, employers and details are invented).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import json
import struct
import textwrap
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

HERE = Path(__file__).resolve().parent
RESUMES, JOBS, BROKEN = HERE / "resumes", HERE / "jobs", HERE / "broken"

NAVY = (31, 41, 80)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)
WHITE = (255, 255, 255)


# --- a small PDF drawing helper over PDFium -------------------------------------------------------------------
class Drawing:
    """Pages with text and rectangles placed in points from the top-left corner."""

    def __init__(self, width: float = 612, height: float = 792) -> None:
        self.pdf = pdfium.PdfDocument.new()
        self.width, self.height = width, height
        self.page: pdfium.PdfPage | None = None
        self.pages: list[pdfium.PdfPage] = []

    def new_page(self) -> None:
        self.page = self.pdf.new_page(self.width, self.height)
        self.pages.append(self.page)

    def text(self, x: float, y: float, text: str, *, size: float = 10, bold: bool = False,
             color: tuple[int, int, int] = BLACK, render_mode: int | None = None, right: bool = False) -> float:
        """Draw one line with its baseline at ``y`` (from the top); returns its width."""
        assert self.page is not None
        font = b"Helvetica-Bold" if bold else b"Helvetica"
        obj = pdfium_c.FPDFPageObj_NewTextObj(self.pdf.raw, font, size)
        wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(ctypes.c_ushort)))
        pdfium_c.FPDFPageObj_SetFillColor(obj, *color, 255)
        if render_mode is not None:
            pdfium_c.FPDFTextObj_SetTextRenderMode(obj, render_mode)
        width = self._width(obj)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x - width if right else x, self.height - y)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)
        return width

    @staticmethod
    def _width(obj: object) -> float:
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                       ctypes.byref(top))
        return right.value - left.value

    def rect(self, x: float, y: float, w: float, h: float, color: tuple[int, int, int]) -> None:
        assert self.page is not None
        path = pdfium_c.FPDFPageObj_CreateNewRect(x, self.height - y - h, w, h)
        pdfium_c.FPDFPageObj_SetFillColor(path, *color, 255)
        pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_ALTERNATE, False)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, path)

    def image(self, x: float, y: float, w: float, h: float, picture: object) -> None:
        assert self.page is not None
        image = pdfium.PdfImage.new(self.pdf)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x, self.height - y - h))
        self.page.insert_obj(image)

    def save(self, path: Path) -> None:
        for page in self.pages:
            page.gen_content()
        buffer = io.BytesIO()
        self.pdf.save(buffer)
        path.write_bytes(buffer.getvalue())
        print(f"wrote {path.relative_to(HERE.parent)}")  # noqa: T201


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)


# --- resumes as PDF -----------------------------------------------------------------------------------------------
def one_column_pdf() -> None:
    """An ML engineer's one-column resume: dates right-aligned, bullets, a word hyphenated at a line end."""
    d = Drawing()
    d.new_page()
    y = 60.0
    d.text(54, y, "Maya Okafor", size=20, bold=True)
    y += 18
    d.text(54, y, "Machine Learning Engineer · Toronto, ON", size=11, color=GREY)
    y += 14
    d.text(54, y, "maya.okafor@example.com · +1 416 555 0199 · github.com/mokafor-ml", size=9.5, color=GREY)

    def heading(title: str) -> None:
        nonlocal y
        y += 26
        d.text(54, y, title, size=12, bold=True, color=NAVY)
        y += 4

    def line(text: str, *, indent: float = 0, size: float = 10, bold: bool = False, date: str = "") -> None:
        nonlocal y
        y += 14
        d.text(54 + indent, y, text, size=size, bold=bold)
        if date:
            d.text(558, y, date, size=9.5, color=GREY, right=True)

    def bullet(text: str) -> None:
        nonlocal y
        for i, piece in enumerate(wrap(text, 92)):
            y += 13
            if i == 0:
                d.text(60, y, "•", size=10)
            d.text(72, y, piece, size=10)

    heading("SUMMARY")
    for piece in wrap("Machine learning engineer with six years of experience taking recommendation and ranking "
                      "models from notebook to production. Comfortable across the stack: feature pipelines, "
                      "PyTorch training, model serving and monitoring.", 100):
        line(piece)
    heading("EXPERIENCE")
    line("Senior Machine Learning Engineer, Northwind Commerce", bold=True, date="Mar 2021 – Present")
    bullet("Rebuilt the product recommendation service around a two-tower retrieval model in PyTorch; "
           "click-through rate rose 9% in an A/B test.")
    # the hyphenated line end the parser must join back into "recommendation"
    y += 13
    d.text(60, y, "•", size=10)
    d.text(72, y, "Designed the offline evaluation harness for every ranking and recom-", size=10)
    y += 13
    d.text(72, y, "mendation model, with Airflow jobs that publish nightly metrics to Grafana.", size=10)
    bullet("Cut p99 serving latency from 180 ms to 45 ms by exporting models to ONNX Runtime behind a "
           "gRPC service on Kubernetes.")
    line("Machine Learning Engineer, Bluefin Analytics", bold=True, date="Jun 2018 – Feb 2021")
    bullet("Trained gradient-boosted churn models with XGBoost and scikit-learn on 40 million customer events.")
    bullet("Moved feature engineering from pandas scripts to Spark on Databricks, shortening daily runs "
           "from five hours to forty minutes.")
    heading("EDUCATION")
    line("MSc Computer Science (Machine Learning), University of Waterloo", date="2016 – 2018")
    line("BSc Mathematics, McGill University", date="2012 – 2016")
    heading("SKILLS")
    line("Languages: Python, SQL, Scala")
    line("ML: PyTorch, XGBoost, scikit-learn, ONNX Runtime, Hugging Face Transformers")
    line("Data and MLOps: Spark, Airflow, MLflow, Docker, Kubernetes, AWS SageMaker")
    heading("CERTIFICATIONS")
    line("AWS Certified Machine Learning – Specialty", date="2022")
    d.save(RESUMES / "ml_engineer_one_column.pdf")


def two_column_pdf() -> None:
    """An NLP engineer's two-page resume: a navy sidebar with white text on the left, the main column on the
    right, and a running footer with page numbers on both pages."""
    d = Drawing()
    sidebar = 190.0
    main_x = 214.0
    pages: list[list[tuple[str, str]]] = [
        [
            ("h", "PROFILE"),
            *[("p", t) for t in wrap("NLP engineer who ships language models people use every day: search, "
                                     "classification and retrieval-augmented assistants, from data labelling "
                                     "to GPU serving.", 64)],
            ("h", "EXPERIENCE"),
            ("t", "Lead NLP Engineer — Quillmark Legal AI|Jan 2022 – Present"),
            ("b", "Fine-tuned encoder models with Hugging Face Transformers to classify contract clauses "
                  "across 41 clause types at 0.93 macro F1."),
            ("b", "Built a retrieval-augmented question answering service on Elasticsearch and a quantised "
                  "7B model served with vLLM."),
            ("b", "Set up annotation with Label Studio and weekly error analysis with the legal team."),
            ("t", "NLP Engineer — Corvid Support Systems|Aug 2019 – Dec 2021"),
            ("b", "Shipped intent detection for a customer-support chatbot in 9 languages with spaCy and "
                  "multilingual BERT."),
            ("b", "Reduced labelling cost by 35% with active learning on top of Prodigy."),
            ("b", "Wrote the model-card and bias-evaluation checklist adopted by three product teams."),
        ],
        [
            ("t", "Data Scientist — Harbor Insurance|Jul 2017 – Jul 2019"),
            ("b", "Built claim-text classifiers with scikit-learn and gensim topic models."),
            ("b", "Presented model results to underwriting leadership every quarter."),
            ("h", "PROJECTS"),
            ("t", "tokenbench|2023"),
            ("b", "Open-source benchmark comparing subword tokenizers on legal and medical text."),
            ("h", "PUBLICATIONS"),
            *[("p", t) for t in wrap("A. Mehta and L. Ortiz. Clause-level retrieval for contract review. "
                                     "Workshop on Natural Legal Language Processing, 2023.", 64)],
        ],
    ]
    side = [
        ("name", "Arjun Mehta"), ("p", "NLP Engineer"), ("gap", ""),
        ("h", "CONTACT"), ("p", "arjun.mehta@example.net"), ("p", "+44 20 7946 0321"), ("p", "London, UK"),
        ("p", "linkedin.com/in/arjun-nlp"), ("gap", ""),
        ("h", "SKILLS"), ("p", "Python, PyTorch"), ("p", "Hugging Face Transformers"), ("p", "spaCy, NLTK"),
        ("p", "Elasticsearch, vLLM"), ("p", "Docker, Kubernetes"), ("p", "GCP Vertex AI"), ("gap", ""),
        ("h", "LANGUAGES"), ("p", "English, Hindi, Spanish"), ("gap", ""),
        ("h", "EDUCATION"), ("p", "MSc Speech and Language"), ("p", "Processing"), ("p", "University of Edinburgh"),
        ("p", "2016 – 2017"),
    ]
    for number, blocks in enumerate(pages, start=1):
        d.new_page()
        d.rect(0, 0, sidebar, d.height, NAVY)
        if number == 1:
            y = 60.0
            for kind, text in side:
                if kind == "name":
                    d.text(22, y, text, size=17, bold=True, color=WHITE)
                    y += 20
                elif kind == "h":
                    d.text(22, y, text, size=10.5, bold=True, color=WHITE)
                    y += 15
                elif kind == "gap":
                    y += 12
                else:
                    d.text(22, y, text, size=9.5, color=WHITE)
                    y += 13
        y = 60.0
        for kind, text in blocks:
            if kind == "h":
                y += 12 if y > 60 else 0
                d.text(main_x, y, text, size=12, bold=True, color=NAVY)
                y += 17
            elif kind == "t":
                title, dates = text.split("|")
                y += 4
                d.text(main_x, y, title, size=10, bold=True)
                d.text(580, y, dates, size=9, color=GREY, right=True)
                y += 14
            elif kind == "b":
                for i, piece in enumerate(wrap(text, 66)):
                    if i == 0:
                        d.text(main_x + 4, y, "•", size=9.5)
                    d.text(main_x + 14, y, piece, size=9.5)
                    y += 12.5
            else:
                d.text(main_x, y, text, size=9.5)
                y += 12.5
        d.text(main_x, 770, "Arjun Mehta · Resume", size=8, color=GREY)
        d.text(580, 770, f"Page {number} of {len(pages)}", size=8, color=GREY, right=True)
    d.save(RESUMES / "nlp_engineer_two_column_sidebar.pdf")


# --- resumes and job posts in the other formats -------------------------------------------------------------------
def docx_resume() -> None:
    """An applied scientist's Word resume: contact details in the page header, a skills table, bullets."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    header = document.sections[0].header
    name = header.paragraphs[0]
    run = name.add_run("Sofia Lindqvist")
    run.bold = True
    run.font.size = Pt(18)
    header.add_paragraph("Applied Scientist, NLP · Stockholm · sofia.lindqvist@example.se · +46 8 555 0142")

    document.add_heading("Summary", level=1)
    document.add_paragraph("Applied scientist building search and summarisation models for Nordic languages; "
                           "five years of Python and PyTorch, two of them leading a team of four.")
    document.add_heading("Experience", level=1)
    title = document.add_paragraph()
    title.add_run("Senior Applied Scientist, Fjordline Media").bold = True
    title.add_run("\tApr 2021 – Present")
    for text in ("Trained Swedish and Norwegian summarisation models with Hugging Face Transformers on "
                 "1.2 million news articles.",
                 "Led the move from TF-IDF search to dense retrieval with FAISS, lifting recall@10 by 18 points.",
                 "Mentored four scientists and ran the team's paper-reading group."):
        document.add_paragraph(text, style="List Bullet")
    title = document.add_paragraph()
    title.add_run("Data Scientist, Nordvik Telecom").bold = True
    title.add_run("\tSep 2018 – Mar 2021")
    for text in ("Forecast network load with LightGBM and Prophet for 3,000 cell sites.",
                 "Built churn dashboards in Tableau backed by Snowflake SQL."):
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Area"
    table.rows[0].cells[1].text = "Tools"
    for area, tools in (("Machine learning", "PyTorch, scikit-learn, LightGBM"),
                        ("NLP", "Hugging Face Transformers, spaCy, FAISS"),
                        ("Data", "SQL, Snowflake, Apache Spark")):
        cells = table.add_row().cells
        cells[0].text = area
        cells[1].text = tools
    document.add_heading("Education", level=1)
    document.add_paragraph("MSc Machine Learning, KTH Royal Institute of Technology, 2016 – 2018")
    document.core_properties.author = "skillmatch samples"
    path = RESUMES / "applied_scientist_table_header.docx"
    document.save(path)
    print(f"wrote {path.relative_to(HERE.parent)}")  # noqa: T201


MARKDOWN_RESUME = """\
# Tomás Rivera

**Computer Vision Engineer** · Madrid, Spain · [tomas.rivera@example.es](mailto:tomas.rivera@example.es) ·
[GitHub](https://github.com/trivera-cv)

## Summary

Computer vision engineer focused on detection and segmentation models that run on edge devices.

## Experience

### Computer Vision Engineer — Ojo Robotics
*Feb 2020 – Present*

- Trained *YOLO* and Mask R-CNN models in **PyTorch** for warehouse robots; mAP up 11 points.
- Quantised models with TensorRT to run at 30 fps on NVIDIA Jetson boards.
- Built the labelling pipeline with CVAT and DVC-versioned datasets.

### Research Intern — Instituto de Visión
*Summer 2019*

- Compared self-supervised pretraining methods for medical image segmentation.

## Skills

| Area | Tools |
|------|-------|
| Deep learning | PyTorch, TensorRT, ONNX |
| Vision | OpenCV, Detectron2, CVAT |
| Ops | Docker, DVC, GitHub Actions |

## Education

**MSc Computer Vision**, Universitat Autònoma de Barcelona, 2018 – 2019
"""

TEXT_JOB = """\
MLOps Engineer
Tallybird Payments · Remote (EU) · Full time

ABOUT THE ROLE
Tallybird's fraud models score every card payment in under 50 ms. We are looking for an MLOps engineer to
own the platform those models are trained, deployed and monitored on.

RESPONSIBILITIES
- Run and improve our Kubeflow training pipelines and the MLflow model registry.
- Deploy models to Kubernetes with canary releases and automatic rollback.
- Build drift and data-quality monitoring with Prometheus and Evidently.

REQUIREMENTS
- 3+ years of experience running ML systems in production.
- Strong Python and solid Terraform; experience with AWS or GCP.
- Experience with Docker, Kubernetes and CI/CD (GitHub Actions or GitLab CI).

NICE TO HAVE
- Feature stores such as Feast.
- Experience with Kafka or other streaming systems is a plus.

BENEFITS
Remote-first team, learning budget of EUR 2,000 a year, 30 days of holiday.
"""

HTML_JOB = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Senior NLP Engineer | Careers at Lumen Health</title>
<style>body { font-family: sans-serif; } .cookie-banner { position: fixed; }</style>
<script>window.dataLayer = [{"page": "job"}];</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">Lumen Health</a>
  <nav aria-label="Main"><ul><li><a href="/about">About us</a></li><li><a href="/careers">Careers</a></li>
  <li><a href="/blog">Blog</a></li><li><a href="/login">Log in</a></li></ul></nav>
</header>
<div class="cookie-banner" role="dialog">We use cookies to improve your experience. <button>Accept all</button></div>
<div class="breadcrumbs"><a href="/careers">Careers</a> › <a href="/careers/engineering">Engineering</a></div>
<main>
  <article class="job-posting">
    <header class="job-header">
      <h1>Senior NLP Engineer</h1>
      <p class="job-meta">Berlin or remote (EU) · Full time · Machine Learning team</p>
    </header>
    <section>
      <h2>About the team</h2>
      <p>Our clinical NLP team turns doctors' free-text notes into structured data that care teams can
      search. We work with <strong>transformer models</strong>, a lot of careful evaluation, and clinicians
      who tell us when we are wrong.</p>
    </section>
    <section>
      <h2>What you'll do</h2>
      <ul>
        <li>Fine-tune and evaluate named-entity recognition and relation extraction models for clinical text.</li>
        <li>Build training and evaluation pipelines in Python with PyTorch and Hugging Face Transformers.</li>
        <li>Serve models behind low-latency APIs with FastAPI and Docker.</li>
        <li>Mentor two NLP engineers and review their experiments.</li>
      </ul>
    </section>
    <section>
      <h2>What you'll bring</h2>
      <ul>
        <li>5+ years of experience in machine learning, at least 3 of them in NLP.</li>
        <li>Strong Python, PyTorch and experience with spaCy or similar NLP libraries.</li>
        <li>Experience shipping models to production and monitoring them.</li>
      </ul>
    </section>
    <section>
      <h2>Bonus points</h2>
      <ul>
        <li>Experience with medical ontologies such as SNOMED CT or ICD-10.</li>
        <li>Knowledge of German is a plus.</li>
      </ul>
    </section>
    <section>
      <h2>Benefits</h2>
      <p>Learning budget, 30 days of paid holiday, and a public transport pass.</p>
    </section>
    <p hidden>Internal requisition 4471-B</p>
    <footer class="job-footer"><p>Lumen Health is an equal opportunity employer.</p></footer>
  </article>
  <aside class="similar-jobs"><h2>Similar jobs</h2><ul><li><a href="/careers/12">Data Engineer</a></li>
  <li><a href="/careers/17">Frontend Engineer</a></li></ul></aside>
</main>
<div class="newsletter"><h3>Get new jobs by email</h3><form><input type="email"><button>Subscribe</button></form></div>
<footer class="site-footer"><p>© 2024 Lumen Health GmbH · Imprint · Privacy</p></footer>
<script src="/static/app.js"></script>
</body>
</html>
"""

JSON_RESUME = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Amara Nwosu",
        "label": "Machine Learning Research Engineer",
        "email": "amara.nwosu@example.org",
        "phone": "+234 1 555 0147",
        "url": "https://amaranwosu.example.org",
        "summary": "Research engineer turning reinforcement learning and speech research into reliable "
                   "training code.",
        "location": {"city": "Lagos", "countryCode": "NG"},
        "profiles": [{"network": "GitHub", "username": "anwosu", "url": "https://github.com/anwosu"}],
    },
    "work": [
        {
            "name": "Kestrel AI Lab",
            "position": "Research Engineer",
            "startDate": "2021-09-01",
            "summary": "Speech recognition for low-resource West African languages.",
            "highlights": [
                "Scaled wav2vec 2.0 pretraining to 64 GPUs with PyTorch FSDP.",
                "Cut word error rate on Yoruba by 21% relative with language-model fusion in KenLM.",
            ],
        },
        {
            "name": "Sahel Logistics",
            "position": "Machine Learning Engineer",
            "startDate": "2019-03",
            "endDate": "2021-08",
            "highlights": ["Built route-time prediction with LightGBM and served it with FastAPI."],
        },
    ],
    "education": [
        {"institution": "University of Lagos", "area": "Computer Science", "studyType": "BSc",
         "startDate": "2014", "endDate": "2018"},
    ],
    "skills": [
        {"name": "Machine learning", "keywords": ["PyTorch", "JAX", "reinforcement learning", "LightGBM"]},
        {"name": "Speech", "keywords": ["wav2vec 2.0", "KenLM", "Kaldi"]},
        {"name": "Infrastructure", "keywords": ["Slurm", "Docker", "Weights & Biases"]},
    ],
    "publications": [
        {"name": "Pretraining speech models for Yoruba and Igbo", "publisher": "Interspeech",
         "releaseDate": "2023-08"},
    ],
    "languages": [{"language": "English", "fluency": "Native"}, {"language": "Yoruba", "fluency": "Native"}],
}


def text_samples() -> None:
    outputs = {
        RESUMES / "computer_vision_engineer.md": MARKDOWN_RESUME,
        JOBS / "mlops_engineer.txt": TEXT_JOB,
        JOBS / "senior_nlp_engineer_post.html": HTML_JOB,
        RESUMES / "ml_research_engineer.json": json.dumps(JSON_RESUME, indent=2, ensure_ascii=False) + "\n",
    }
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")  # noqa: T201


# --- broken files ---------------------------------------------------------------------------------------------
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _write_pdf(objects: list[bytes], trailer: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf() -> None:
    """A one-page resume encrypted with the user password ``open-sesame`` (RC4 40-bit, revision 2)."""
    user, owner = b"open-sesame", b"owner-secret"
    file_id = hashlib.md5(b"skillmatch encrypted sample").digest()  # MD5 and RC4: the PDF format's choice
    permissions = -44
    owner_key = hashlib.md5((owner + _PAD)[:32]).digest()[:5]
    o_value = _rc4(owner_key, (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    content = b"BT /F1 12 Tf 72 720 Td (Priya Natarajan - Machine Learning Engineer) Tj ET\n" \
              b"BT /F1 10 Tf 72 700 Td (Skills: Python, PyTorch, Kubernetes) Tj ET\n"
    object_key = hashlib.md5(key + (5).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    stream = _rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <" + u_value.hex().encode()
        + b"> /P %d >>" % permissions,
    ]
    trailer = b"/Root 1 0 R /Encrypt 6 0 R /ID [<" + file_id.hex().encode() + b"> <" + file_id.hex().encode() + b">]"
    _save(BROKEN / "encrypted.pdf", _write_pdf(objects, trailer))


def _save(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    print(f"wrote {path.relative_to(HERE.parent)}")  # noqa: T201


def corrupt_pdfs() -> None:
    """A PDF header followed by bytes that are no PDF at all, and a real resume cut off after its header."""
    noise = bytes((i * 73 + 41) % 251 for i in range(4096))
    _save(BROKEN / "corrupt.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + noise)
    whole = (RESUMES / "ml_engineer_one_column.pdf").read_bytes()
    _save(BROKEN / "truncated.pdf", whole[:300])


def empty_files() -> None:
    _save(BROKEN / "empty.pdf", b"")
    d = Drawing()
    d.new_page()
    d.save(BROKEN / "blank_page.pdf")


def scanned_pdf() -> None:
    """A 'scanned' resume: one page that is an image with no text layer."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(picture)
    draw.text((80, 80), "Jonas Weber - Data Scientist", fill=0)
    for row in range(12):
        draw.rectangle((80, 140 + row * 40, 760 - (row % 4) * 90, 150 + row * 40), fill=40)
    d = Drawing()
    d.new_page()
    d.image(0, 0, d.width, d.height, picture)
    d.save(BROKEN / "scanned.pdf")


def too_many_pages_pdf() -> None:
    d = Drawing()
    for page in range(1, 61):
        d.new_page()
        d.text(72, 72, f"Appendix page {page}: model evaluation tables", size=11)
    d.save(BROKEN / "too_many_pages.pdf")


def keyword_stuffing_pdf() -> None:
    """A data scientist's resume stuffed with skills a reader cannot see: white on white, a 1-point font,
    text placed off the page and text drawn in the invisible render mode."""
    d = Drawing()
    d.new_page()
    d.text(54, 60, "Leo Brandt", size=20, bold=True)
    d.text(54, 80, "Data Scientist · leo.brandt@example.de · Hamburg", size=10, color=GREY)
    d.text(54, 112, "EXPERIENCE", size=12, bold=True, color=NAVY)
    d.text(54, 130, "Data Scientist, Elbe Retail Group", size=10, bold=True)
    d.text(558, 130, "2020 – Present", size=9.5, color=GREY, right=True)
    d.text(72, 145, "Built demand forecasts with Prophet and pandas for 300 stores.", size=10)
    d.text(72, 159, "Reported weekly accuracy to category managers in Power BI.", size=10)
    d.text(54, 190, "SKILLS", size=12, bold=True, color=NAVY)
    d.text(54, 208, "Python, pandas, SQL, Prophet, Power BI", size=10)
    # the stuffing
    d.text(54, 240, "PyTorch TensorFlow Kubernetes Spark Airflow", size=10, color=WHITE)
    d.text(54, 260, "LLM RAG LangChain", size=1)
    d.text(640, 300, "Rust Scala Julia", size=10)
    d.text(54, 320, "CUDA Triton", size=10, render_mode=pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    d.save(BROKEN / "keyword_stuffing.pdf")


def keyword_stuffing_docx() -> None:
    """The Word twin of keyword_stuffing.pdf: white runs, a 1-point run and a hidden run; and, for contrast,
    white text on a navy table cell, which a reader does see."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    banner = document.add_table(rows=1, cols=1).rows[0].cells[0]
    banner._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="1F2950"/>'))
    run = banner.paragraphs[0].add_run("Leo Brandt · Data Scientist")
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    run.bold = True
    document.add_heading("Skills", level=1)
    skills = document.add_paragraph("Python, pandas, SQL, Prophet, Power BI ")
    white = skills.add_run("PyTorch TensorFlow Kubernetes")
    white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    tiny = skills.add_run(" LLM RAG LangChain")
    tiny.font.size = Pt(1)
    hidden = skills.add_run(" CUDA Triton")
    hidden.font.hidden = True
    document.add_heading("Experience", level=1)
    document.add_paragraph("Data Scientist, Elbe Retail Group, 2020 – Present")
    path = BROKEN / "keyword_stuffing.docx"
    document.save(path)
    print(f"wrote {path.relative_to(HERE.parent)}")  # noqa: T201


def zip_bomb_docx() -> None:
    """A 'DOCX' whose document.xml inflates to 64 MB of spaces: refused before anything is inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"/>')
        with archive.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b" " * (1 << 20)
            for _ in range(64):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    _save(BROKEN / "zip_bomb.docx", buffer.getvalue())


def png_screenshot() -> None:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (320, 120), (255, 255, 255))
    ImageDraw.Draw(picture).text((10, 10), "Screenshot of a resume: ML Engineer", fill=(0, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    _save(BROKEN / "resume_screenshot.png", buffer.getvalue())


# --- what parser fuzzing found (tests/matcher/parsing/test_fuzz.py), each cut down to its smallest form --------
def fuzz_regressions() -> None:
    """Inputs that once broke parse_document's promise of a typed error in time."""
    # a zip whose central directory says it needs "version 9.3" to extract: zipfile raises NotImplementedError
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0)),
                         '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body>'
                         '</w:document>')
    data = bytearray(buffer.getvalue())
    central = data.rindex(b"PK\x01\x02")
    data[central + 6 : central + 8] = (93).to_bytes(2, "little")  # "version needed to extract": 9.3
    _save(BROKEN / "fuzz-zip-version-9.3.docx", bytes(data))
    # 8,000 open <b> closed by 8,000 </i> that match nothing: each end tag scanned the whole open stack
    _save(BROKEN / "fuzz-deep-nesting-unmatched-end-tags.html",
          b"<html><body><p>" + b"<b>" * 8000 + b"Deep" + b"</i>" * 8000 + b"</p></body></html>\n")
    # a post whose end is 6,000 "<a " without a ">": html.parser's close() re-scanned the rest per "<"
    _save(BROKEN / "fuzz-unclosed-start-tags.html",
          b"<html><body><h1>Senior ML Engineer</h1><p>We train models.</p>\n" + b"<a " * 6_000)
    # 10,000 comments opened and never closed, each followed by a ">": quadratic in html.parser
    _save(BROKEN / "fuzz-unterminated-comments.html",
          b"<html><body><h1>Senior ML Engineer</h1><p>We train models.</p>\n" + b"<!--x>" * 10_000)
    # a post cut off inside a table row: the row's cells waited for a </tr> that never came, and were lost
    _save(BROKEN / "fuzz-truncated-table-row.html",
          b"<html><body><h1>Skills</h1><table><tr><td>Python</td><td>PyTorch</td></tr><tr><td>SQL</td><td>Spark")
    # a PDF PDFium refuses whose cross-reference stream sends 300 objects into one run of 16 KB of tokens:
    # pdfminer (the fallback) re-reads the run for every object, 1.7 million tokens, 10 s, past any deadline
    junk_at, junk = 9, (b"[ 1 2 3 (a) <41> /N " * 800)
    entries = b"".join(b"\x01" + (junk_at + i * 997 % len(junk)).to_bytes(2, "big") + b"\x00" for i in range(300))
    packed = zlib.compress(entries)
    xref = (b"1 0 obj\n<< /Type /XRef /Length %d /Filter /FlateDecode /W [ 1 2 1 ] /Index [ 2 300 ] /Root 2 0 R "
            b"/Size 302 >>\nstream\n" % len(packed)) + packed + b"\nendstream\nendobj\n"
    _save(BROKEN / "fuzz-xref-stream-into-junk.pdf",
          b"%PDF-1.5\n" + junk + xref + b"startxref\n%d\n%%%%EOF\n" % (junk_at + len(junk)))
    # a 15 KB DOCX whose second paragraph is 100,000 runs: the line's commonest font size was counted per run
    # (quadratic), and the deadline was checked between paragraphs only
    runs = '<w:r><w:t xml:space="preserve">Python </w:t></w:r>' * 100_000
    package = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.'
        f'org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Skills</w:t></w:r></w:p><w:p>{runs}</w:p></w:body>'
        '</w:document>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in package.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text,
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    _save(BROKEN / "fuzz-paragraph-of-100000-runs.docx", buffer.getvalue())
    # 10,000 CDATA sections never closed: still quadratic in html.parser, stopped by the deadline
    _save(BROKEN / "fuzz-unterminated-cdata.html",
          b"<html><body><h1>Senior ML Engineer</h1><p>We train models.</p>\n" + b"<![CDATA[x>" * 10_000)


def main() -> None:
    for folder in (RESUMES, JOBS, BROKEN):
        folder.mkdir(parents=True, exist_ok=True)
    one_column_pdf()
    two_column_pdf()
    docx_resume()
    text_samples()
    encrypted_pdf()
    corrupt_pdfs()
    empty_files()
    scanned_pdf()
    too_many_pages_pdf()
    keyword_stuffing_pdf()
    keyword_stuffing_docx()
    zip_bomb_docx()
    png_screenshot()
    fuzz_regressions()


if __name__ == "__main__":
    main()
