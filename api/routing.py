"""The app's routes as requests reach them: path, methods and dependencies of each, routers included.

Recent FastAPI keeps an included router nested (``app.routes`` holds the router, not its routes); older ones
copy its routes into ``app.routes``. Whatever walks the routes (the OpenAPI pass, the ``Allow`` header of a
405, the tests that try every ``/v1`` route) goes through :func:`api_routes`, which reads both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import compile_path


@dataclass(frozen=True)
class ApiRoute:
    """One API route (a FastAPI path operation, not a mount or the docs pages)."""

    path: str  # as in the OpenAPI schema: /v1/resumes/{resume_id}
    methods: frozenset[str]
    include_in_schema: bool
    dependant: Dependant

    @property
    def calls(self) -> set[Callable[..., Any]]:
        """Every callable the route depends on, directly or through other dependencies."""
        found: set[Callable[..., Any]] = set()
        stack = list(self.dependant.dependencies)
        while stack:
            dependency = stack.pop()
            if dependency.call is not None:
                found.add(dependency.call)
            stack.extend(dependency.dependencies)
        return found

    def matches_path(self, path: str) -> bool:
        return _regex(self.path).fullmatch(path) is not None


def api_routes(app: FastAPI) -> Iterator[ApiRoute]:
    """Every API route of ``app``, in the order the router tries them."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI < 0.16x: included routes are copied into app.routes
        contexts: Any = app.routes
    else:
        contexts = iter_route_contexts(app.routes)
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            yield ApiRoute(
                path=context.path_format,
                methods=frozenset(context.methods or ()),
                include_in_schema=route.include_in_schema,
                dependant=getattr(context, "dependant", None) or route.dependant,
            )


_regexes: dict[str, re.Pattern[str]] = {}


def _regex(path_format: str) -> re.Pattern[str]:
    found = _regexes.get(path_format)
    if found is None:
        found = _regexes[path_format] = compile_path(path_format)[0]
    return found
