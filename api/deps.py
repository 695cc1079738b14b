"""Dependencies shared by the routes, as ``Annotated`` aliases: services, a database session, the owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
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


def get_owner(request: Request, services: ServicesDep, session: SessionDep) -> Owner:
    """The owner of the request's API key; ``local`` while no key has ever been created."""
    if not services.auth_required and any_key_exists(session):
        services.auth_required = True
    if not services.auth_required:
        if services.local_owner_id is None:
            services.local_owner_id = get_or_create_owner(session, LOCAL_OWNER).id
            session.commit()
        request.state.owner_id = services.local_owner_id
        return Owner(id=services.local_owner_id, name=LOCAL_OWNER)
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized()
    owner = owner_for_key(session, key.strip())
    if owner is None:
        raise Unauthorized("the API key is unknown or revoked")
    request.state.owner_id = owner.id
    return owner


OwnerDep = Annotated[Owner, Depends(get_owner)]
