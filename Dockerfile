# skillmatch: slim image, non-root, nothing downloaded at run time (no spaCy model, no data).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, in their own cached layer; then the code and the taxonomy.
COPY pyproject.toml README.md ./
RUN mkdir -p matcher api taxonomy && touch matcher/__init__.py api/__init__.py \
    && pip install . && pip uninstall -y skillmatch
COPY matcher/ matcher/
COPY api/ api/
COPY taxonomy/ taxonomy/
RUN pip install --no-deps . && rm -rf /app/*

RUN useradd --create-home --uid 10001 skillmatch
USER skillmatch
WORKDIR /home/skillmatch

ENTRYPOINT ["skillmatch"]
CMD ["--help"]
