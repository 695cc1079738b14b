"""Dependencies shared by the routes, as ``Annotated`` aliases: services, a database session, the owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.db import Owner
from api.errors import Unauthorized
from api.security import LOCAL_OWNER, any_key_exists, get_or_create_owner, owner_for_key
from api.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """One session per request, committed by the route; rolled back on any error so nothing is half-written."""
    with services.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session)]


#: Declares the key in the OpenAPI schema (the docs' "Authorize" button); a missing key is ours to answer (401).
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `skillmatch keys create`, as `Authorization: Bearer KEY`. Required on every /v1 "
    "route as soon as one key exists; a server without keys is single-user and binds to loopback.",
)


def get_owner(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Owner:
    """The owner of the request's API key; ``local`` while no key has ever been created."""
    return owner_for_request(request, services, session, credentials.credentials if credentials else None)


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
