"""Biographical documents in, validated datasets out."""

__version__ = "0.1.0"
