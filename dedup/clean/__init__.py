"""Cleaning: the article body and news metadata out of a page.

One module per kind of work: ``html`` (trafilatura), ``text`` (plain text and page dumps: paragraphs and the line
classifier), ``news`` (wire credit, dateline, agency headers), ``sitechrome`` (paragraphs a site repeats across a
batch). ``clean`` picks the path for a document.
"""

from __future__ import annotations

from dataclasses import replace

from ..documents import Document
from .article import Article
from .html import clean_html
from .news import precise_date
from .sitechrome import (
    MIN_DOCS,
    MIN_SHARE,
    block_hashes,
    block_key,
    domain,
    remove_repeated_blocks,
    site_of,
)
from .text import clean_paragraphs, clean_text, cleaning_path

__all__ = ["MIN_DOCS", "MIN_SHARE", "Article", "block_hashes", "block_key", "clean", "clean_text", "cleaning_path",
           "clean_with_block_hashes", "remove_repeated_blocks", "site_of"]


def clean(doc: Document | str) -> Article:
    """Clean one document (or a plain text): its article body and metadata. Never raises on bad content; an
    unusable document gets ``error``."""
    if isinstance(doc, str):
        doc = Document.from_text(doc, id="")
    return _clean_document(doc)[0]


def clean_with_block_hashes(doc: Document) -> tuple[Article, list[int]]:
    """``clean(doc)`` and the ``block_hashes`` of its text, computed from the plain-text cleaner's paragraphs
    when it made them (they are whitespace-collapsed already, so a paragraph's key is just its lower case)."""
    article, body = _clean_document(doc)
    if article.error is not None:
        return article, []
    if body is not None:
        return article, [hash(paragraph.lower()) for paragraph in body]
    return article, block_hashes(article.text)


def _clean_document(doc: Document) -> tuple[Article, list[str] | None]:
    """The article and, from plain text, its paragraphs (``None`` otherwise)."""
    body = None
    if doc.error is not None:
        return Article(id=doc.id, text="", title=doc.title, date=doc.date, url=doc.url, source=doc.source,
                       error=doc.error), None
    if doc.html is not None:
        article = clean_html(doc)
    else:
        body, title, date, wire, dateline = clean_paragraphs(doc.text)
        article = Article(doc.id, "\n\n".join(body), doc.title or title, precise_date(doc.date, date), doc.url, None,
                          None, wire, dateline, domain(doc.url) or doc.source)
    if not article.text and article.error is None:
        article = replace(article, error="no article text found")
    return article, body
