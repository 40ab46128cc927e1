"""The result of cleaning: an article's body and its news metadata."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Article"]


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text (paragraphs separated by blank lines) and news metadata."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    author: str | None = None
    wire: str | None = None
    dateline: str | None = None
    source: str | None = None
    error: str | None = None
