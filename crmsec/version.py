"""The crmsec version: a leaf module, so reading it loads nothing else of crmsec."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
