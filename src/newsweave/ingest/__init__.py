"""Ingest: read articles from files, folders, JSONL and stdin, with their metadata."""

from .encoding import decode
from .readers import expand_paths, read_file, read_inputs

__all__ = ["decode", "expand_paths", "read_file", "read_inputs"]
