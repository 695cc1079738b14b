"""API keys: created, listed and revoked by ``skillmatch keys``; checked on every ``/v1`` request.

A key is shown once, when created; the database keeps its SHA-256 and its first characters. While no key has
ever been created the service is single-user (everything belongs to the owner ``local``) and binds to
loopback only; as soon as one exists, every ``/v1`` route needs a key, with no restart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db import ApiKey, Owner, utcnow

KEY_PREFIX = "sm_"
LOCAL_OWNER = "local"


@dataclass(frozen=True)
class KeyInfo:
    """What ``keys list`` shows: never the key itself."""

    id: int
    owner: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def get_or_create_owner(session: Session, name: str) -> Owner:
    """The owner called ``name``; two workers creating it at once both end up with the same row."""
    owner = session.scalars(select(Owner).where(Owner.name == name)).first()
    if owner is not None:
        return owner
    try:
        with session.begin_nested():
            owner = Owner(name=name)
            session.add(owner)
        return owner
    except IntegrityError:
        return session.scalars(select(Owner).where(Owner.name == name)).one()


def create_key(session: Session, owner_name: str) -> str:
    """A new key for ``owner_name`` (created if new); the caller commits and shows the key once."""
    owner = get_or_create_owner(session, owner_name)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(owner_id=owner.id, prefix=key[:10], key_hash=hash_key(key)))
    session.flush()
    return key


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(select(ApiKey, Owner.name).join(Owner).order_by(ApiKey.id)).all()
    return [KeyInfo(k.id, name, k.prefix, k.created_at, k.revoked_at) for k, name in rows]


def revoke_key(session: Session, key_or_prefix: str) -> int:
    """Revoke the key given in full, or by the prefix ``keys list`` shows; returns how many were revoked."""
    if key_or_prefix.startswith(KEY_PREFIX) and len(key_or_prefix) > 20:
        where = ApiKey.key_hash == hash_key(key_or_prefix)
    else:
        where = ApiKey.prefix == key_or_prefix
    keys = session.scalars(select(ApiKey).where(where, ApiKey.revoked_at.is_(None))).all()
    for key in keys:
        key.revoked_at = utcnow()
    return len(keys)


def any_key_exists(session: Session) -> bool:
    """Whether keys are in force: a revoked key still counts, so revoking the last key locks the API, not opens it."""
    return session.scalars(select(ApiKey.id).limit(1)).first() is not None


def owner_for_key(session: Session, key: str) -> Owner | None:
    """The owner of an active key, or None for an unknown or revoked one."""
    return session.scalars(
        select(Owner).join(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
    ).first()
