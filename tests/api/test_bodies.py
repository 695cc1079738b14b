"""api.bodies: JSON depth measured without parsing; one answer per unreadable body."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.bodies import MAX_JSON_DEPTH, json_depth
from tests.adversarial import deep_json


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b'{"a": 1}', 1),
        (b"[[[]]]", 3),
        (json.dumps({"text": "[[[[{{{{" * 10}).encode(), 1),  # brackets inside a string are text
        (json.dumps({"text": 'say \\"[[[[\\" ' * 20, "ids": [[1]]}).encode(), 3),
        (deep_json(100), 101),
        (b"[" * 5000, 5000),
    ],
)
def test_bodies_json_depth(body: bytes, depth: int) -> None:
    assert json_depth(body, limit=0) == depth


def test_bodies_json_depth_short_bodies_are_not_scanned() -> None:
    # fewer openers than the limit: their count is the answer (an upper bound), no string stripping needed
    assert json_depth(b'{"a": [1, 2]}') == 2


def test_bodies_the_deepest_body_the_api_takes_is_well_inside_the_bound(client: TestClient) -> None:
    body = {"resume_ids": ["a"], "job_ids": ["b"], "top": 1}
    assert json_depth(json.dumps(body).encode(), limit=0) == 2 < MAX_JSON_DEPTH


def test_bodies_depth_limit_answers_invalid_request_with_its_type(client: TestClient) -> None:
    response = client.post("/v1/batch", content=deep_json(MAX_JSON_DEPTH, key="resume_ids"),
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body"], "msg": f"JSON nested deeper than {MAX_JSON_DEPTH} levels", "type": "json_too_deep"}
    ]


def test_bodies_an_empty_body_is_still_a_missing_body(client: TestClient) -> None:
    response = client.post("/v1/match")
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "missing"
