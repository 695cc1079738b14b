# skillmatch service: slim image, non-root, SQLite in the volume /data, nothing downloaded at build or run time
# beyond the Python packages (no spaCy model: the pipeline is spacy.blank("en"); the taxonomy ships in the wheel).
#
#   docker build -t skillmatch .
#   docker run --rm -v skillmatch-data:/data skillmatch keys create --owner me     # prints the key
#   docker run -d -p 8000:8000 -v skillmatch-data:/data skillmatch                 # serve
#
# A container must bind 0.0.0.0 to be reachable, and `serve` refuses a non-loopback address while no API key
# exists: create a key first (above), or knowingly run with -e SKILLMATCH_ALLOW_OPEN=true (anyone who can reach
# the port may then upload). PostgreSQL instead of SQLite: -e SKILLMATCH_DATABASE_URL=postgresql+psycopg://...
# and `docker run ... skillmatch db upgrade` once.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src

# Dependencies first, in their own cached layer: installing the project with empty packages pulls exactly the
# dependencies pyproject.toml declares; the layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN mkdir -p matcher api taxonomy && touch matcher/__init__.py api/__init__.py \
    && pip install . && pip uninstall -y skillmatch

# Then the code and the taxonomy (the same `pip install .` that .ci/run tests in a fresh virtual environment).
COPY matcher/ matcher/
COPY api/ api/
COPY taxonomy/ taxonomy/
RUN pip install --no-deps . && rm -rf /src

RUN useradd --create-home --uid 10001 skillmatch && mkdir /data && chown skillmatch:skillmatch /data
USER skillmatch
WORKDIR /home/skillmatch
ENV SKILLMATCH_DATA_DIR=/data SKILLMATCH_HOST=0.0.0.0 SKILLMATCH_PORT=8000
VOLUME ["/data"]
EXPOSE 8000

# No curl in slim images: the check is a few lines of Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('SKILLMATCH_PORT', '8000'), timeout=4)"]

ENTRYPOINT ["skillmatch"]
CMD ["serve"]
