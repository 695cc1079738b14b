"""``api.routing``: the app's routes, routers included, as the OpenAPI schema and the 405 ``Allow`` see them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.deps import get_owner, get_session
from api.routing import api_routes


def test_routing_lists_every_operation_of_the_schema(client: TestClient) -> None:
    routes = list(api_routes(client.app))
    listed = {(method, route.path) for route in routes for method in route.methods}
    schema = client.app.openapi()
    documented = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert listed == documented
    assert ("DELETE", "/v1/batch/{batch_id}") in listed  # a router with a prefix


def test_routing_dependencies_are_seen_through_other_dependencies(client: TestClient) -> None:
    routes = {(method, r.path): r for r in api_routes(client.app) for method in r.methods}
    upload = routes[("POST", "/v1/resumes")]
    assert {get_owner, get_session} <= upload.calls  # get_session only through get_owner and SessionDep
    assert get_owner not in routes[("GET", "/healthz")].calls


def test_routing_matches_a_path_by_its_template(client: TestClient) -> None:
    route = next(r for r in api_routes(client.app) if r.path == "/v1/resumes/{resume_id}")
    assert route.matches_path("/v1/resumes/4f1c2b0e")
    assert not route.matches_path("/v1/resumes/4f1c2b0e/titles")
    assert not route.matches_path("/v1/resumes")
