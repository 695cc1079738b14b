"""The taxonomy routes: search by name or alias, category filter, pagination, titles; a key once keys exist."""

from __future__ import annotations

from fastapi.testclient import TestClient

from matcher.normalize import skill_key
from tests.api.conftest import auth, new_key


def test_taxonomy_skills_alias_finds_the_skill_first(client: TestClient) -> None:
    response = client.get("/v1/taxonomy/skills", params={"q": "sklearn"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "count", "limit", "offset"}
    assert body["data"][0]["id"] == "scikit_learn"
    assert {"id", "name", "category", "kind", "aliases", "broader", "related", "external"} == set(body["data"][0])


def test_taxonomy_skills_any_spelling_and_substring(client: TestClient) -> None:
    exact = client.get("/v1/taxonomy/skills", params={"q": "Py-Torch"}).json()
    assert exact["data"][0]["id"] == "pytorch"
    partial = client.get("/v1/taxonomy/skills", params={"q": "tensorf", "limit": 500}).json()
    ids = [s["id"] for s in partial["data"]]
    assert "tensorflow" in ids
    assert partial["count"] == len(ids)
    for skill in partial["data"]:
        assert any("tensorf" in skill_key(name) for name in (skill["name"], *skill["aliases"])), skill["id"]
    assert client.get("/v1/taxonomy/skills", params={"q": "zzqqxx-no-such-skill"}).json()["count"] == 0


def test_taxonomy_skills_category_filter(client: TestClient) -> None:
    body = client.get("/v1/taxonomy/skills", params={"category": "cloud", "limit": 500}).json()
    assert body["count"] > 5
    assert {s["category"] for s in body["data"]} == {"cloud"}
    both = client.get("/v1/taxonomy/skills", params={"category": "cloud", "q": "sagemaker"}).json()
    assert both["data"][0]["id"] == "aws_sagemaker" or "sagemaker" in both["data"][0]["name"].lower()
    assert {s["category"] for s in both["data"]} == {"cloud"}
    assert client.get("/v1/taxonomy/skills", params={"category": "cloud", "q": "pytorch"}).json()["data"] == []


def test_taxonomy_skills_unknown_category_is_a_problem(client: TestClient) -> None:
    response = client.get("/v1/taxonomy/skills", params={"category": "no_such_category"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unknown_category"


def test_taxonomy_skills_pagination(client: TestClient) -> None:
    total = len(client.app.state.services.engine.taxonomy.skills)
    first = client.get("/v1/taxonomy/skills", params={"limit": 10}).json()
    assert (first["count"], first["limit"], first["offset"], len(first["data"])) == (total, 10, 0, 10)
    second = client.get("/v1/taxonomy/skills", params={"limit": 10, "offset": 10}).json()
    assert not {s["id"] for s in first["data"]} & {s["id"] for s in second["data"]}
    last = client.get("/v1/taxonomy/skills", params={"limit": 10, "offset": total - 3}).json()
    assert len(last["data"]) == 3
    assert client.get("/v1/taxonomy/skills", params={"limit": 0}).status_code == 422
    assert client.get("/v1/taxonomy/skills", params={"offset": -1}).json()["code"] == "invalid_request"


def test_taxonomy_titles_with_their_skills(client: TestClient) -> None:
    response = client.get("/v1/taxonomy/titles")
    assert response.status_code == 200
    body = response.json()
    taxonomy = client.app.state.services.engine.taxonomy
    assert body["count"] == len(body["data"]) == len(taxonomy.titles) >= 20
    title = body["data"][0]
    assert {"id", "name", "seniority", "alternate_titles", "required", "preferred"} == set(title)
    assert title["required"]
    for requirement in title["required"]:
        assert requirement["name"] == taxonomy.skills[requirement["skill_id"]].name
        assert requirement["weight"] > 0


def test_taxonomy_routes_need_a_key_once_keys_exist(client: TestClient) -> None:
    key = new_key(client, "alice")
    for path in ("/v1/taxonomy/skills", "/v1/taxonomy/titles"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert client.get(path, headers=auth("sm_not-a-real-key-0123456789")).status_code == 401
        assert client.get(path, headers=auth(key)).status_code == 200
