"""The command line: thin click commands over the Python API (`storyline`, entry point `main`)."""
from __future__ import annotations

from . import commands, evaluate, outlets  # noqa: F401 - each registers its commands on `main`
from .base import main

__all__ = ["main"]
