"""API contract fuzzing (issue 8): every operation of the OpenAPI schema, fed by schemathesis, on SQLite.

Each operation gets a bounded, derandomized run (schemathesis' explicit examples, its coverage cases and
``MAX_EXAMPLES`` generated ones, valid and invalid) against the app as the API tests build it. Every response
must be documented: status code, content type (errors are ``application/problem+json``) and body schema, and
none may be a 5xx. Keys are in force: most cases carry an API key (a schemathesis auth provider), every
``NO_KEY_EVERY``-th goes without and must get the documented 401; the ``ignored_auth`` check also replays
successful requests without a key and with a wrong one. Path and body ids are half the time those of stored
documents, reports and batches, so the routes are exercised past "not found".

Schemathesis' ``positive_data_acceptance`` (a schema-valid request must not get a 4xx other than 401/403/404/409)
is replaced by :func:`schema_valid_input_is_accepted`: the API refuses schema-valid input for reasons the schema
cannot state (an unknown category, a PNG uploaded as a resume: 415, a text without usable content: 422 with a
document code), so only a refusal that says the request itself is malformed (``invalid_request``,
``bad_request``, an unsupported media type) counts against a schema-valid case.

The schema is loaded from the app at import (schemathesis builds the tests at collection); the app that answers
is started by the ``fuzz`` fixture. Its results go to the reliability table (``contract/api``).
"""

from __future__ import annotations

import itertools
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select
from starlette.types import Receive, Scope, Send

from api.config import ServiceSettings
from api.db import ApiKey, BatchRun, Document, Report
from api.main import create_app
from api.routing import api_routes
from api.security import KEY_PREFIX, get_or_create_owner, hash_key
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, SAMPLE_JOB, SAMPLE_RESUME, api_settings
from tests.reliability_record import record

#: Generated cases per operation (schemathesis' own examples and coverage cases come on top).
MAX_EXAMPLES = 15
#: Every n-th case goes without its key (and must get 401).
NO_KEY_EVERY = 5

#: The fuzzer's key: the auth provider runs at collection already, before any fixture, so it is made here.
KEY = KEY_PREFIX + secrets.token_urlsafe(32)


class DeferredApp:
    """The ASGI app schemathesis calls: it must be given when the tests are built (at collection, for the
    requests its checks replay), the app under test is made by a fixture; this forwards to that one."""

    def __init__(self) -> None:
        self.app: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the fuzz fixture starts the app"
        await self.app(scope, receive, send)


APP = DeferredApp()
#: The schema under test, as the app serves it at /openapi.json (no database is opened to build it).
SCHEMA = schemathesis.openapi.from_dict(create_app(ServiceSettings(database_url="sqlite://")).openapi())
SCHEMA.app = APP

_auth_counter = itertools.count()


@SCHEMA.auth()
class ApiKeyAuth:
    """``Authorization: Bearer KEY`` on every case but every ``NO_KEY_EVERY``-th."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return KEY

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        if next(_auth_counter) % NO_KEY_EVERY == NO_KEY_EVERY - 1:
            return
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def schema_valid_input_is_accepted(ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """A request the schema says is valid is never refused as malformed (the schema and the validation agree)."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return None
    if response.status_code not in (400, 405, 415, 422):
        return None
    try:
        code = response.json().get("code")
    except ValueError:
        code = None
    if code in ("invalid_request", "bad_request", "unsupported_media_type", "method_not_allowed", "http_error"):
        raise RejectedPositiveData(
            operation=case.operation.label,
            message=f"A schema-valid request was refused as malformed: {response.status_code} {code}",
            status_code=response.status_code,
            allowed_statuses=["2xx", "401", "404", "413", "415 (unsupported_format)", "422 (document codes)"],
        )
    return None


# ------------------------------------------------------------------------------------------------------ the app


@dataclass
class Fuzz:
    """The app under test, the stored records cases may refer to, and what the run tried."""

    app: FastAPI
    http: TestClient
    ids: dict[str, str] = field(default_factory=dict)
    cases: int = 0
    unauthenticated: int = 0
    failed: set[str] = field(default_factory=set)
    operations: set[str] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)

    def seed(self) -> None:
        """A resume, a job post, a report and a batch of the fuzzer's, (re)made where a case deleted them."""
        headers = {"Authorization": f"Bearer {KEY}"}
        if not self._exists(Document, self.ids.get("resume_id")):
            files = {"file": (SAMPLE_RESUME.name, SAMPLE_RESUME.read_bytes())}
            self.ids["resume_id"] = self._created(self.http.post("/v1/resumes", files=files, headers=headers))
        if not self._exists(Document, self.ids.get("job_id")):
            body = {"text": SAMPLE_JOB.read_text(encoding="utf-8")}
            self.ids["job_id"] = self._created(self.http.post("/v1/jobs", json=body, headers=headers))
        pair = {"resume_id": self.ids["resume_id"], "job_id": self.ids["job_id"]}
        if not self._exists(Report, self.ids.get("report_id")):
            self.ids["report_id"] = self._created(self.http.post("/v1/match", json=pair, headers=headers))
        if not self._exists(BatchRun, self.ids.get("batch_id")):
            batch = {"resume_ids": [pair["resume_id"]], "job_ids": [pair["job_id"]]}
            self.ids["batch_id"] = self._created(self.http.post("/v1/batch", json=batch, headers=headers))

    def _exists(self, model: type[Document] | type[Report] | type[BatchRun], record_id: str | None) -> bool:
        if record_id is None:
            return False
        with self.app.state.services.sessions() as session:
            return session.scalar(select(model.id).where(model.id == record_id)) is not None

    @staticmethod
    def _created(response: Any) -> str:
        assert response.status_code == 201, response.text
        created: str = response.json()["id"]
        return created

    def use_stored_ids(self, case: schemathesis.Case) -> None:
        """Put the ids of stored records in a valid case, every other time: past "not found" into the route."""
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE or self.cases % 2:
            return
        names = [n for n in ("resume_id", "job_id", "report_id", "batch_id") if n in (case.path_parameters or {})]
        body = case.body if isinstance(case.body, dict) else {}
        if not names and not any(k in body for k in ("resume_id", "job_id", "resume_ids", "job_ids")):
            return
        self.seed()
        for name in names:
            case.path_parameters[name] = self.ids[name]
        for name in ("resume_id", "job_id"):
            if isinstance(body.get(name), str):
                body[name] = self.ids[name]
            if isinstance(body.get(f"{name}s"), list) and body[f"{name}s"]:
                body[f"{name}s"] = [self.ids[name]]


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory, matcher_engine: Engine) -> Iterator[Fuzz]:
    """The app on a fresh SQLite file, keys in force (the fuzzer's and another owner's), records stored."""
    database = tmp_path_factory.mktemp("contract") / "skillmatch.db"
    app = APP.app = create_app(api_settings(f"sqlite:///{database}"), engine=matcher_engine)
    # schemathesis calls the app in-process and runs its lifespan; start it now to store keys and records
    with asgi.get_client(APP):
        pass
    with app.state.services.sessions() as session:
        for owner, key in (("fuzzer", KEY), ("someone-else", KEY_PREFIX + secrets.token_urlsafe(32))):
            owner_id = get_or_create_owner(session, owner).id
            session.add(ApiKey(owner_id=owner_id, prefix=key[:10], key_hash=hash_key(key)))
        session.commit()
    state = Fuzz(app=app, http=TestClient(app, base_url=LOCAL_URL))  # no `with`: the lifespan runs already
    state.seed()
    try:
        yield state
    finally:
        record(
            "contract/api",
            cases=state.cases,
            failed=len(state.failed),
            notes=f"{len(state.operations)} operations, derandomized, up to {MAX_EXAMPLES} generated cases each "
            f"plus schemathesis' examples and coverage cases; {state.unauthenticated} without a key; answers "
            + ", ".join(f"{n} {status}" for status, n in sorted(state.statuses.items()))
            + "; failed = "
            "operations with a 5xx or a response off the schema"
            + (f" ({', '.join(sorted(state.failed))})" if state.failed else ""),
        )
        asgi.shutdown_lifespans()
        APP.app = None


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_contract(case: schemathesis.Case, fuzz: Fuzz) -> None:
    fuzz.use_stored_ids(case)
    fuzz.cases += 1
    fuzz.operations.add(case.operation.label)
    if "Authorization" not in (case.headers or {}):
        fuzz.unauthenticated += 1
    try:
        response = case.call_and_validate(
            excluded_checks=[positive_data_acceptance],
            additional_checks=[schema_valid_input_is_accepted],
        )
    except BaseException:
        fuzz.failed.add(case.operation.label)
        raise
    fuzz.statuses[f"{response.status_code // 100}xx"] += 1


def test_api_contract_schema_documents_every_error_as_problem_json() -> None:
    """The schema under test is the honest one: every 4xx/5xx a route documents is problem+json, every /v1
    route documents 401 and declares the key."""
    paths = SCHEMA.raw_schema["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
            if path.startswith("/v1/"):
                assert "401" in operation["responses"], (method, path)
                assert operation.get("security") == [{"ApiKey": []}], (method, path)
    assert "HTTPValidationError" not in SCHEMA.raw_schema["components"]["schemas"]


def test_api_contract_covers_every_route() -> None:
    """Every API route is in the schema, so in the run: a route left out of the schema would escape it."""
    app = create_app(ServiceSettings(database_url="sqlite://"))
    documented = {(m.upper(), p) for p, ops in SCHEMA.raw_schema["paths"].items() for m in ops}
    routed = {(m, r.path) for r in api_routes(app) for m in r.methods}
    assert routed == documented
