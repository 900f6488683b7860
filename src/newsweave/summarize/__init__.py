"""Summaries in which every sentence cites its sources (extractive; optional LLM rewording)."""

from __future__ import annotations

from .extractive import Settings, Summarizer

__all__ = ["Settings", "Summarizer"]
