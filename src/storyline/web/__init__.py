"""The web app (FastAPI) and the server entry point."""
from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
