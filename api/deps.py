"""Dependencies shared by the routes, as ``Annotated`` aliases: services, a database session, the owner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.db import Owner
from api.errors import Unauthorized
from api.security import LOCAL_OWNER, any_key_exists, get_or_create_owner, owner_for_key
from api.services import Services


async def get_services(request: Request) -> Services:
    """The worker's services. ``async``: FastAPI runs a plain ``def`` dependency in a thread of its pool, a hand-off
    (and a wait for the GIL) per request for an attribute read."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_session(services: ServicesDep) -> AsyncIterator[Session]:
    """One session per request, committed by the route; rolled back on any error so nothing is half-written.

    ``async``, so that opening and closing it costs no hand-off to a thread: making a session touches no database,
    and closing one whose work was committed returns nothing to roll back. A session still in a transaction (an
    error, or a read-only route) is rolled back and closed in a thread: that talks to the database, which may hang.
    """
    session = services.sessions()
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.close)
        raise
    if session.in_transaction():
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.close)
    else:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


#: Declares the key in the OpenAPI schema (the docs' "Authorize" button); a missing key is ours to answer (401).
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `skillmatch keys create`, as `Authorization: Bearer KEY`. Required on every /v1 "
    "route as soon as one key exists; a server without keys is single-user and binds to loopback.",
)


async def get_owner(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Owner:
    """The owner of the request's API key; ``local`` while no key has ever been created.

    The look-up queries the database, so it runs where the service runs blocking work (:meth:`Services.run`)."""
    key = credentials.credentials if credentials else None
    return await services.run(None, owner_for_request, request, services, session, key)


def owner_from_header(request: Request, services: Services, session: Session, authorization: str | None) -> Owner:
    """:func:`get_owner` from the raw ``Authorization`` header (read as ``HTTPBearer`` reads it): for a request
    whose key must be checked before FastAPI resolves its dependencies (:mod:`api.bodies`)."""
    scheme, _, key = (authorization or "").partition(" ")
    key = key.strip()
    return owner_for_request(request, services, session, key if scheme.lower() == "bearer" and key else None)


def owner_for_request(request: Request, services: Services, session: Session, key: str | None) -> Owner:
    if not services.auth_required and any_key_exists(session):
        services.auth_required = True
    if not services.auth_required:
        if services.local_owner_id is None:
            services.local_owner_id = get_or_create_owner(session, LOCAL_OWNER).id
            session.commit()
        request.state.owner_id = services.local_owner_id
        return Owner(id=services.local_owner_id, name=LOCAL_OWNER)
    if key is None:  # no Authorization header, another scheme, or an empty key
        raise Unauthorized()
    owner = owner_for_key(session, key)
    if owner is None:
        raise Unauthorized("the API key is unknown or revoked")
    request.state.owner_id = owner.id
    return owner


OwnerDep = Annotated[Owner, Depends(get_owner)]
