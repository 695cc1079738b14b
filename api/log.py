"""The logging configuration ``skillmatch serve`` hands to uvicorn: one line per request, no bodies, no queries.

The request line comes from the app's own middleware (method, path, status, milliseconds, request id); uvicorn's
access log is switched off because it repeats the line with the query string, which may carry search terms.
Nothing in the service logs a request or response body, a document's text, an e-mail or a phone number.
"""

from __future__ import annotations

from typing import Any

LEVELS = ("critical", "error", "warning", "info", "debug")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


def logging_config(level: str = "info") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dictionary (uvicorn's ``log_config``) at ``level``."""
    name = level.lower()
    if name not in LEVELS:
        from matcher.errors import SkillmatchError

        raise SkillmatchError(f"unknown log level {level!r}: one of {', '.join(LEVELS)}", code="invalid_setting")
    upper = name.upper()
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {"stderr": handler},
        "loggers": {
            "skillmatch": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            # off: it logs the raw path with its query string; our middleware logs the request instead
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            # SQL statements and their parameters would hold document text
            "sqlalchemy": {"level": "WARNING"},
            "multipart": {"level": "WARNING"},
            "python_multipart": {"level": "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
