"""One APIRouter per resource, included by :func:`api.main.create_app`."""
