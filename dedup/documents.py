"""Documents and loading: files, directories, JSON lines, encodings, and the reasons an input is unusable."""

from __future__ import annotations

import codecs
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path

from ._parallel import map_ranges, resolve_workers, split
from .errors import InputError

__all__ = ["Document", "load", "find_files", "read_files", "SUFFIXES"]

#: File name endings that ``load`` reads when walking a directory (each also with ``.gz``).
SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
MAX_BYTES = 20 * 1024 * 1024

_DATE_LINE = re.compile(r"\A\s*date[ :]\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?")


@dataclass(frozen=True, slots=True)
class Document:
    """One input article as loaded, before cleaning.

    ``text`` holds plain text (a page dump or an article body), ``html`` a web page; at most one of them is what
    cleaning starts from (``html`` wins). ``source`` is the sub-folder of the loaded directory the file sits in
    (``None`` at its top): it stands for the document's site when there is no url, for site-chrome removal.
    ``error`` says why the input cannot be used; such a document still appears in every output, with its reason.
    """

    id: str
    text: str = ""
    html: str | None = None
    path: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    error: str | None = None

    @classmethod
    def from_text(cls, text: str, *, id: str, **fields: str | None) -> Document:
        """A document from plain text; a first line ``date YYYY-MM-DD`` becomes ``date``."""
        date, body = split_date_line(text)
        if date and not fields.get("date"):
            fields["date"] = date
        return cls(id=id, text=body, **fields)  # type: ignore[arg-type]


#: A document's field values in ``Document(...)`` argument order.
_document_values = attrgetter(*(item.name for item in fields(Document)))


def split_date_line(text: str) -> tuple[str | None, str]:
    """Split a leading ``date YYYY-MM-DD`` metadata line (as in the seed files) from the body."""
    match = _DATE_LINE.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


def load(path: str | os.PathLike[str], *, recursive: bool = True, max_bytes: int = MAX_BYTES,
         workers: int | None = 1) -> list[Document]:
    """Load a file or a directory of articles.

    Directories are walked (recursively by default) for ``.txt``, ``.html``/``.htm``, ``.json``/``.jsonl`` and their
    ``.gz`` forms, in sorted order; document ids are paths relative to the directory. A single file keeps the
    path as given. A JSON lines file gives one document per line (``<path>#<id or line number>``).

    Files that cannot be used (empty, binary, malformed, too large) come back as documents with ``error`` set.
    Raises ``InputError`` only when ``path`` itself does not exist. ``workers`` > 1 (``None``: every core) reads
    large directories in that many processes; the result does not depend on it. One is the default: reading is
    mostly system calls, and sending the texts back from the workers cost about what it saved (measured on
    20,000 files on 2 cores).
    """
    files = find_files(path, recursive=recursive)
    parallel = resolve_workers(workers) if len(files) >= _PARALLEL_FILES else 1
    if parallel == 1:
        return read_files(files, max_bytes=max_bytes)
    chunk = max(64, min(2048, len(files) // (8 * parallel) + 1))
    # Workers send plain tuples: unpickling 20,000 frozen dataclasses costs more than reading the files.
    parts = map_ranges(_read_range, (files, max_bytes), split(len(files), chunk), workers=parallel,
                       pack=_document_tuples, unpack=_documents)
    return [doc for part in parts for doc in part]


#: Below this many files, loading stays in this process (forking costs more).
_PARALLEL_FILES = 2000

#: ``(path to open, document id, source folder)`` of one input file.
File = tuple[str, str, str | None]


def find_files(path: str | os.PathLike[str], *, recursive: bool = True) -> list[File]:
    """The files ``load`` reads for ``path`` (a file, or a directory walked as ``load`` describes), in order.
    Raises ``InputError`` when ``path`` does not exist."""
    root = Path(path)
    if not root.exists():
        raise InputError(f"no such file or directory: {os.fspath(path)}")
    if root.is_dir():
        return list(_walk(os.fspath(root), "", recursive))
    return [(os.fspath(path), os.fspath(path), None)]


def read_files(files: Sequence[File], *, max_bytes: int = MAX_BYTES) -> list[Document]:
    """The documents of ``files`` (from ``find_files``), as ``load`` returns them."""
    return [doc for file, doc_id, source in files for doc in _load_file(file, doc_id, max_bytes, source)]


def _document_tuples(docs: list[Document]) -> list[tuple]:
    return list(map(_document_values, docs))


def _documents(values: list[tuple]) -> list[Document]:
    return [Document(*fields) for fields in values]


def _read_range(state: tuple[list[File], int], start: int, stop: int) -> list[Document]:
    files, max_bytes = state
    return read_files(files[start:stop], max_bytes=max_bytes)


def _walk(directory: str, prefix: str, recursive: bool) -> Iterator[tuple[str, str, str | None]]:
    """``(path, path relative to the root with /, source folder)`` of the article files under ``directory``; the
    source folder is the file's sub-folder relative to the root (``None`` at the top: no known site). The
    files ``Path.glob("**/*")`` yields (symbolic links to directories are not followed), by ``os.scandir``, in
    the order of sorted relative paths (a depth-first walk with each folder's entries sorted by name gives it)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    source = prefix.rstrip("/") or None
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    yield from _walk(entry.path, f"{prefix}{entry.name}/", recursive)
                continue
            if entry.name.startswith(".") or not entry.is_file():
                continue
        except OSError:
            continue
        name = entry.name.lower()
        if name.endswith(".gz"):
            name = name[:-3]
        if name.endswith(SUFFIXES):
            yield entry.path, prefix + entry.name, source


def _load_file(file: str, doc_id: str, max_bytes: int, source: str | None = None) -> Iterator[Document]:
    name = os.path.basename(file)
    try:
        data = _read_bytes(file, name, max_bytes)
        kind = _kind(name)
        if kind == "jsonl":
            yield from _load_jsonl(data, doc_id, source)
            return
        text = _decode(data)
        if kind == "json":
            yield from _load_json(text, doc_id, source)
        elif kind == "html":
            yield Document(id=doc_id, html=text, path=doc_id, source=source)
        else:
            yield Document.from_text(text, id=doc_id, path=doc_id, source=source)
    except _Unusable as reason:
        yield Document(id=doc_id, path=doc_id, source=source, error=str(reason))
    except OSError as exc:
        yield Document(id=doc_id, path=doc_id, source=source, error=f"cannot read file: {exc.strerror or exc}")


class _Unusable(Exception):
    """Internal: the reason a file cannot be used."""


def _kind(name: str) -> str:
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    return "text"


def _read_bytes(file: str, name: str, max_bytes: int) -> bytes:
    if name.lower().endswith(".gz"):
        size = os.stat(file).st_size
        if size > max_bytes:
            raise _Unusable(f"file too large ({size} bytes compressed; limit {max_bytes})")
        with open(file, "rb") as handle:
            raw = handle.read()
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = decompressor.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            raise _Unusable(f"not a valid gzip file ({exc})") from None
        if len(data) > max_bytes:
            raise _Unusable(f"file too large (over {max_bytes} bytes once decompressed)")
        if not decompressor.eof:
            raise _Unusable("truncated gzip file")
    else:
        data = _read_plain(file, max_bytes)
    if not data or data.isspace():  # (no copy, unlike strip())
        raise _Unusable("empty file")
    return data


_FIRST_READ = 1 << 16
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _read_plain(file: str, max_bytes: int) -> bytes:
    """The file's bytes, by os.open/os.read (a third of the system calls of ``open().read()``, and no buffer of
    ``max_bytes`` allocated per file)."""
    descriptor = os.open(file, _OPEN_FLAGS)
    try:
        first = min(_FIRST_READ, max_bytes + 1)
        data = os.read(descriptor, first)
        if len(data) < first:
            return data
        chunks, total = [data], len(data)
        while total <= max_bytes:
            more = os.read(descriptor, 1 << 20)
            if not more:
                break
            chunks.append(more)
            total += len(more)
        if total > max_bytes:
            size = os.fstat(descriptor).st_size
            raise _Unusable(f"file too large ({size} bytes; limit {max_bytes})")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _decode(data: bytes) -> str:
    """Decode bytes as text: BOMs, UTF-8, else Windows-1252; refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:8192]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise _Unusable("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))


def _control_ratio(sample: bytes) -> float:
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / max(len(sample), 1)


_JSON_FIELDS = ("url", "title", "date")


def _record_document(record: object, doc_id: str, source: str) -> Document:
    if not isinstance(record, dict):
        return Document(id=doc_id, path=doc_id, source=source, error="JSON record is not an object")
    fields = {key: str(record[key]) for key in _JSON_FIELDS if isinstance(record.get(key), (str, int, float))}
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        return Document(id=doc_id, html=html, path=doc_id, source=source, **fields)
    if isinstance(text, str) and text.strip():
        return Document.from_text(text, id=doc_id, path=doc_id, source=source, **fields)
    return Document(id=doc_id, path=doc_id, source=source, error='JSON record has no "text" or "html" string')


def _load_json(text: str, doc_id: str, source: str) -> Iterator[Document]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unusable(f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(value, list):
        if not value:
            raise _Unusable("empty JSON list")
        for number, record in enumerate(value):
            yield _record_document(record, _record_id(doc_id, record, number), source)
    else:
        yield _record_document(value, doc_id, source)


def _load_jsonl(data: bytes, doc_id: str, source: str) -> Iterator[Document]:
    text = _decode(data)
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Document(id=f"{doc_id}#{number}", path=doc_id, source=source,
                           error=f"malformed JSON line ({exc.msg})")
            continue
        record_id = _record_id(doc_id, record, number)
        if record_id in seen:
            record_id = f"{doc_id}#{number}"
        seen.add(record_id)
        yield _record_document(record, record_id, source)


def _record_id(doc_id: str, record: object, number: int) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), (str, int)):
        return f"{doc_id}#{record['id']}"
    return f"{doc_id}#{number}"
