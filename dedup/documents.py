"""Documents and loading: files, directories, JSON lines, crawl formats (WARC, Parquet), standard input,
encodings, and the reasons an input is unusable.

Reading never stops a run: every input (a file, a JSON record, a WARC response, a Parquet row, a folder that
cannot be listed) comes back as exactly one ``Document``, an unusable one with ``error`` saying why.
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import re
import stat
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from operator import attrgetter
from typing import IO, Any, NamedTuple

from ._parallel import map_ranges, resolve_workers, split
from .dates import parse_date
from .errors import InputError

__all__ = ["Document", "load", "find_files", "read_files", "SUFFIXES", "STDIN"]

#: File name endings that ``load`` reads when walking a directory (each but ``.parquet`` also with ``.gz``).
SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".parquet")
#: The size limit of a file read whole, and of one record of a JSON lines, WARC or Parquet file.
MAX_BYTES = 20 * 1024 * 1024
#: The path that means standard input.
STDIN = "-"

_DATE_LINE = re.compile(r"\A\s*date[ :]\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?")


@dataclass(frozen=True, slots=True)
class Document:
    """One input article as loaded, before cleaning.

    ``text`` holds plain text (a page dump or an article body), ``html`` a web page; at most one of them is what
    cleaning starts from (``html`` wins). ``source`` is the sub-folder of the loaded directory the file sits in
    (``None`` at its top): it stands for the document's site when there is no url, for site-chrome removal.
    ``error`` says why the input cannot be used; such a document still appears in every output, with its reason.
    ``encoding`` names the codec the bytes were decoded with (``None`` for input that was already text).
    ``date`` is kept as given; ``date_error`` says when it is not a date ``dates.parse_date`` understands (the
    document stays usable).
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
    encoding: str | None = None
    date_error: str | None = None

    @classmethod
    def from_text(cls, text: str, *, id: str, **fields: str | None) -> Document:
        """A document from plain text; a first line ``date YYYY-MM-DD`` becomes ``date``."""
        date, body = split_date_line(text)
        if date and not fields.get("date"):
            fields["date"] = date
        return _dated(cls(id=id, text=body, **fields))


#: A document's field values in ``Document(...)`` argument order.
_document_values = attrgetter(*(item.name for item in fields(Document)))


@lru_cache(maxsize=4096)
def _is_date(text: str) -> bool:
    return parse_date(text) is not None


def _dated(doc: Document) -> Document:
    """``doc`` with ``date_error`` set when its ``date`` is not a date."""
    if doc.date is None or doc.date_error is not None or _is_date(doc.date):
        return doc
    return replace(doc, date_error=f"unrecognised date {doc.date[:80]!r}")


def split_date_line(text: str) -> tuple[str | None, str]:
    """Split a leading ``date YYYY-MM-DD`` metadata line (as in the seed files) from the body."""
    match = _DATE_LINE.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


def load(path: str | os.PathLike[str], *, recursive: bool = True, max_bytes: int = MAX_BYTES,
         workers: int | None = 1) -> list[Document]:
    """Load a file, a directory of articles, or standard input (``"-"``).

    Directories are walked (recursively by default) for the ``SUFFIXES`` and their ``.gz`` forms, in sorted
    order; document ids are paths relative to the directory (bytes of a name that are not UTF-8 shown as
    ``\\xff``). A single file keeps the path as given. A JSON lines, JSON list, WARC or Parquet file gives one
    document per record (``<path>#<id or number>``). Every id is unique in the load: a repeated one gets
    ``~2``, ``~3``… in reading order. ``"-"`` reads JSON lines from standard input, or, when its first
    character is not ``{`` or ``[``, a list of paths, one per line (a listed folder's files have ids
    ``<folder as listed>/<path in it>``; a listed path that does not exist is one unusable document).

    Inputs that cannot be used (empty, binary, malformed, too large, not a regular file, unreadable) come back
    as documents with ``error`` set. ``max_bytes`` limits a file read whole and each record of a streamed
    file. Raises ``InputError`` only when ``path`` itself does not exist. ``workers`` > 1 (``None``: every
    core) reads large directories in that many processes; the result does not depend on it. One is the
    default: reading is mostly system calls, and sending the texts back from the workers cost about what it
    saved (measured on 20,000 files on 2 cores).
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


class File(NamedTuple):
    """One input of ``find_files``: the path to open, its document id, its source folder, the reason it cannot
    be read when that is known before opening it (a folder that cannot be listed), the ids of other files
    that start with this one's id and ``#`` (its records must not take them), and whether the walk saw a regular
    file (no symbolic link) there."""

    path: str
    id: str
    source: str | None = None
    error: str | None = None
    reserved: frozenset[str] = frozenset()
    regular: bool = False


def find_files(path: str | os.PathLike[str], *, recursive: bool = True) -> list[File]:
    """The files ``load`` reads for ``path`` (a file, a directory walked as ``load`` describes, or ``"-"``), in
    order, with unique ids. Raises ``InputError`` when ``path`` does not exist."""
    given = os.fsdecode(path)
    if given == STDIN:
        return _finish(_stdin_files(recursive))
    if not os.path.lexists(given):
        raise InputError(f"no such file or directory: {_shown(given)}")
    return _finish(_path_files(given, _shown(given), recursive, top=True))


def read_files(files: Sequence[File | tuple[Any, ...]], *, max_bytes: int = MAX_BYTES) -> list[Document]:
    """The documents of ``files`` (from ``find_files``), as ``load`` returns them."""
    return [doc for file in files for doc in _load_file(File(*file), max_bytes)]


def _document_tuples(docs: list[Document]) -> list[tuple[Any, ...]]:
    return list(map(_document_values, docs))


def _documents(values: list[tuple[Any, ...]]) -> list[Document]:
    return [Document(*fields) for fields in values]


def _read_range(state: tuple[list[File], int], start: int, stop: int) -> list[Document]:
    files, max_bytes = state
    return read_files(files[start:stop], max_bytes=max_bytes)


# --- finding files --------------------------------------------------------------------------------------------


def _shown(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by ``os.fsdecode`` as surrogates) as ``\\xff``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def _path_files(path: str, shown: str, recursive: bool, *, top: bool) -> Iterator[File]:
    """A directory's article files, or ``path`` itself (a given file is read whatever its name)."""
    if os.path.isdir(path):
        yield from _walk(path, "", recursive, label=shown) if top else _walk(path, shown.rstrip("/") + "/", recursive)
    else:
        yield File(path, shown)


def _walk(directory: str, prefix: str, recursive: bool, label: str | None = None) -> Iterator[File]:
    """The article files under ``directory``, ids relative to the root with ``/``: the files ``Path.glob("**/*")``
    yields (symbolic links to folders are not followed; links to files are), by ``os.scandir``, in the order of
    sorted relative paths (a depth-first walk with each folder's entries sorted by name gives it). A folder that
    cannot be listed is one input with the reason. The source folder is the file's sub-folder relative to the
    root (``None`` at the top: no known site)."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=attrgetter("name"))
    except OSError as exc:
        yield File(directory, label or prefix, prefix.rstrip("/").rpartition("/")[0] or None, _reason(exc))
        return
    source = prefix.rstrip("/") or None
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    yield from _walk(entry.path, f"{prefix}{_shown(entry.name)}/", recursive)
                continue
            if entry.name.startswith(".") or not _is_article_name(entry.name) or entry.is_dir():
                continue
            regular = entry.is_file(follow_symlinks=False)  # (known from the listing: no system call)
        except OSError:
            regular = False  # a symbolic link loop: reading it reports it
        yield File(entry.path, prefix + _shown(entry.name), source, regular=regular)


def _is_article_name(name: str) -> bool:
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
        if name.endswith(".parquet"):
            return False
    return name.endswith(SUFFIXES)


def _stdin_files(recursive: bool) -> Iterator[File]:
    """Standard input as one JSON lines input, or the files of the paths it lists, one per line."""
    stream = _stdin()
    first = _first_byte(stream)
    if first in (b"{", b"["):
        yield File(STDIN, STDIN)
        return
    for line in stream:
        path = os.fsdecode(line.rstrip(b"\r\n"))
        if not path.strip():
            continue
        if path == STDIN:  # standard input is being read: a listed "-" is a file of that name
            path = os.path.join(os.curdir, path)
        if not os.path.lexists(path):
            yield File(path, _shown(path), None, "no such file or directory")
        else:
            yield from _path_files(path, _shown(path), recursive, top=False)


_stdin_reader: io.BufferedReader | None = None


def _stdin() -> io.BufferedReader:
    """Standard input's bytes, with ``peek`` (``sys.stdin.buffer`` has it unless it was replaced)."""
    global _stdin_reader
    stream = sys.stdin.buffer
    if isinstance(stream, io.BufferedReader):
        return stream
    if _stdin_reader is None or _stdin_reader.raw is not stream:
        _stdin_reader = io.BufferedReader(stream)  # type: ignore[arg-type]
    return _stdin_reader


def _first_byte(stream: io.BufferedReader) -> bytes:
    """The first byte that is not white space, left unread; white space before it is consumed only when it
    fills the whole read buffer (its lines are counted in ``_stdin_skipped``, to keep line numbers)."""
    global _stdin_skipped
    while True:
        ahead = stream.peek(1)
        if not ahead:
            return b""
        content = ahead.lstrip()
        if content:
            return content[:1]
        _stdin_skipped += stream.read(len(ahead)).count(b"\n")


#: Lines of white space consumed from standard input before its first record.
_stdin_skipped = 0


_RECORD_KINDS = ("json", "jsonl", "warc", "parquet")


def _finish(found: Iterable[File]) -> list[File]:
    """``found`` with unique ids, each record file told which ids of other files its records must not take."""
    ids = _Ids()
    files = [file if (unique := ids.unique(file.id)) == file.id else file._replace(id=unique) for file in found]
    hashed = [file for file in files if "#" in file.id]
    if not hashed:
        return files
    record_files = {file.id for file in files if file.error is None and _kind(file.path)[0] in _RECORD_KINDS}
    reserved: dict[str, set[str]] = {}
    for file in hashed:
        for hash_at in (at for at, char in enumerate(file.id) if char == "#"):
            if file.id[:hash_at] in record_files:
                reserved.setdefault(file.id[:hash_at], set()).add(file.id)
    if reserved:
        files = [file._replace(reserved=frozenset(reserved.get(file.id, ()))) for file in files]
    return files


class _Ids:
    """Document ids handed out in one load or one file: a repeated id gets ``~2``, ``~3``… (the first free)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)
        self._next: dict[str, int] = {}

    def unique(self, doc_id: str) -> str:
        if doc_id in self._taken:
            number = self._next.get(doc_id, 2)
            while f"{doc_id}~{number}" in self._taken:
                number += 1
            self._next[doc_id] = number + 1
            doc_id = f"{doc_id}~{number}"
        self._taken.add(doc_id)
        return doc_id


# --- reading one file -----------------------------------------------------------------------------------------


class _Unusable(Exception):
    """Internal: the reason an input cannot be used."""


def _kind(path: str) -> tuple[str, bool]:
    """What a file holds, by its name: ``(kind, gzipped)``; standard input holds JSON lines."""
    if path == STDIN:
        return "jsonl", False
    name = path.lower()  # (the ending of the path is the ending of the name)
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    return _KINDS.get(name[name.rfind("."):], "text"), gzipped


_KINDS = {".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "json", ".warc": "warc",
          ".parquet": "parquet"}


def _load_file(file: File, max_bytes: int) -> Iterator[Document]:
    """The documents of one input file; never raises for what is in the file or on the disk."""
    if file.error is not None:
        yield _unusable(file.id, file, file.error)
        return
    kind, gzipped = _kind(file.path)
    ids = _Ids(file.reserved)
    try:
        if file.path == STDIN:
            yield from _load_jsonl(_stdin(), file, max_bytes, ids, gzipped=False, skipped=_stdin_skipped)
            return
        descriptor = _open_regular(file.path, file.regular)
        if kind in ("text", "html", "json"):
            yield from _load_whole(_read_whole(descriptor, gzipped, max_bytes), kind, file)
            return
        if kind == "parquet" and gzipped:
            os.close(descriptor)
            raise _Unusable("a gzipped Parquet file: Parquet compresses its own columns; give the .parquet file")
        with open(descriptor, "rb") as handle:
            if kind == "jsonl":
                yield from _load_jsonl(handle, file, max_bytes, ids, gzipped=gzipped)
            elif kind == "warc":
                yield from _load_warc(handle, file, max_bytes, ids)
            else:
                yield from _load_parquet(handle, file, max_bytes, ids)
    except _Unusable as reason:
        yield _unusable(file.id, file, str(reason))
    except OSError as exc:
        yield _unusable(file.id, file, _reason(exc, file.path))
    except Exception as exc:  # noqa: BLE001 - a parser's unexpected failure on a bad file must not stop the run
        yield _unusable(file.id, file, f"cannot read file ({type(exc).__name__}: {exc})"[:300])


def _unusable(doc_id: str, file: File, reason: str, *, url: str | None = None,
              date: str | None = None) -> Document:
    return Document(id=doc_id, path=file.id, source=file.source, url=url, date=date, error=reason)


_REASONS = {errno.ENOENT: "no such file or directory", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied", errno.ELOOP: "symbolic link loop", errno.EISDIR: "is a directory",
            errno.ENOTDIR: "not a directory"}


def _reason(exc: OSError, path: str | None = None) -> str:
    if exc.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "broken symbolic link"
    known = _REASONS.get(exc.errno or 0)
    return known or f"cannot read: {exc.strerror or exc}"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def _open_regular(path: str, regular: bool) -> int:
    """A descriptor of ``path`` open for reading, which must be a regular file: a FIFO or a device is refused
    before it is opened (unless the folder listing said it is ``regular``), and opened non-blocking, should it
    be swapped in between."""
    if not regular and not stat.S_ISREG(os.stat(path).st_mode):
        raise _Unusable("not a regular file")
    descriptor = os.open(path, _OPEN_FLAGS)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _Unusable("not a regular file")
    return descriptor


def _load_whole(data: bytes, kind: str, file: File) -> Iterator[Document]:
    if kind == "html":
        html, encoding = _decode_html(data)
        yield Document(id=file.id, html=html, path=file.id, source=file.source, encoding=encoding)
        return
    text, encoding = _decode_text(data)
    if kind == "json":
        yield from _load_json(text, file, encoding)
    else:
        yield Document.from_text(text, id=file.id, path=file.id, source=file.source, encoding=encoding)


_FIRST_READ = 1 << 16
_CHUNK = 1 << 20


def _read_whole(descriptor: int, gzipped: bool, max_bytes: int) -> bytes:
    """A file's bytes (decompressed), at most ``max_bytes``; closes ``descriptor``."""
    if gzipped:
        size = os.fstat(descriptor).st_size
        if size > max_bytes:
            os.close(descriptor)
            raise _Unusable(f"file too large ({size} bytes compressed; limit {max_bytes})")
        with open(descriptor, "rb") as handle:
            chunks, total = [], 0
            for chunk in _gunzip(handle):
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise _Unusable(f"file too large (over {max_bytes} bytes once decompressed)")
            data = b"".join(chunks)
    else:
        data = _read_plain(descriptor, max_bytes)
    if not data or data.isspace():  # (no copy, unlike strip())
        raise _Unusable("empty file")
    return data


def _read_plain(descriptor: int, max_bytes: int) -> bytes:
    """The file's bytes, by os.read (a third of the system calls of ``open().read()``, and no buffer of
    ``max_bytes`` allocated per file); closes ``descriptor``."""
    try:
        first = min(_FIRST_READ, max_bytes + 1)
        data = os.read(descriptor, first)
        if len(data) < first:
            return data
        chunks, total = [data], len(data)
        while total <= max_bytes:
            more = os.read(descriptor, _CHUNK)
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


#: Decompressed data may be this many times the compressed bytes read (deflate can reach about 1,000).
_MAX_EXPANSION = 100


def _gunzip(handle: IO[bytes]) -> Iterator[bytes]:
    """The decompressed chunks of a gzip stream of one or more members (``cat a.gz b.gz``), in chunks of at most
    ``_CHUNK`` bytes; refuses a stream that expands more than ``_MAX_EXPANSION`` times (a decompression bomb)."""
    decompressor, in_member, compressed, expanded = zlib.decompressobj(16 + zlib.MAX_WBITS), False, 0, 0
    while raw := handle.read(_CHUNK):
        compressed += len(raw)
        while raw:
            if not in_member and not raw.strip(b"\x00"):
                break  # zero padding after the last member, as gzip allows
            in_member = True
            try:
                out = decompressor.decompress(raw, _CHUNK)
            except zlib.error as exc:
                raise _Unusable(f"not a valid gzip file ({exc})") from None
            expanded += len(out)
            if expanded > _MAX_EXPANSION * compressed + _CHUNK:
                raise _Unusable(f"gzip data expands over {_MAX_EXPANSION} times (a decompression bomb?)")
            if out:
                yield out
            if decompressor.eof:
                raw, in_member = decompressor.unused_data, False
                decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                raw = decompressor.unconsumed_tail
    if in_member:
        raise _Unusable("truncated gzip file")


# --- decoding -------------------------------------------------------------------------------------------------

#: The encodings detection chooses from, the more common on the web first (the first wins a tie).
_DETECTABLE = ("utf_8", "cp1252", "cp1251", "gb18030", "cp932", "cp949", "iso8859_2", "cp1250", "big5", "euc_jp",
               "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "koi8_r", "iso8859_5",
               "iso8859_15")
#: Declared labels read as the superset browsers decode them with (WHATWG Encoding standard).
_AS_BROWSERS_DO = {"ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "gb2312": "gb18030",
                   "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932", "tis-620": "cp874",
                   "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8"}
_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|"""
                       rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DECLARATION_BYTES = 4096


def _decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """A page as text and the encoding used: a BOM, else the charset ``declared`` (by HTTP) or in the page's
    first 4 KB (``<meta charset>``, ``http-equiv``, ``<?xml encoding>``) if the bytes decode with it, else
    UTF-8 if they are UTF-8, else detection."""
    found = _bom(data)
    if found is not None:
        return found
    _refuse_binary(data)
    if declared is None:
        match = _DECLARED.search(data, 0, _DECLARATION_BYTES)
        declared = (match.group(1) or match.group(2)).decode("ascii") if match else None
    codec = _codec(declared) if declared else None
    if codec is not None:
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration, or a codec that is not a text encoding (base64): detect
    return _utf8_or_detected(data)


def _decode_text(data: bytes) -> tuple[str, str]:
    """Bytes as text and the encoding used: a BOM, else UTF-8, else detection (charset-normalizer)."""
    found = _bom(data)
    if found is not None:
        return found
    _refuse_binary(data)
    return _utf8_or_detected(data)


def _bom(data: bytes) -> tuple[str, str] | None:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    return None


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _AS_BROWSERS_DO.get(name, name)


def _utf8_or_detected(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data, cp_isolation=list(_DETECTABLE)))
    if not results:
        raise _Unusable("text encoding not recognised (not UTF-8, and no known encoding fits)")
    best = min((result.chaos, -result.coherence) for result in results)
    tied = [result.encoding for result in results if (result.chaos, -result.coherence) == best]
    codec = codecs.lookup(min(tied, key=lambda name: _implausibility(data, name))).name
    return data.decode(codec, errors="replace"), codec


_WORD = re.compile(r"[^\W\d_]{3,}")


def _implausibility(data: bytes, encoding: str) -> tuple[int, int]:
    """How unlike text ``data`` decoded with ``encoding`` reads, to break a tie in detection (short texts tie
    often): words that mix scripts or are mostly accented Latin letters (``Ďđčâĺň`` is ``Привет`` in the wrong
    code page), then the encoding's place in ``_DETECTABLE``."""
    words = _WORD.findall(data[:4000].decode(encoding, errors="ignore"))
    odd = sum(1 for word in words if not word.isascii() and _odd_word(word))
    return odd, _DETECTABLE.index(encoding) if encoding in _DETECTABLE else len(_DETECTABLE)


#: Scripts written together in one word (Japanese mixes kanji and kana).
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "FULLWIDTH": "CJK"}


def _odd_word(word: str) -> bool:
    scripts = {_script(char) for char in word}
    if len(scripts) > 1:
        return True
    return scripts == {"LATIN"} and sum(not char.isascii() for char in word) * 2 > len(word)


def _script(char: str) -> str:
    script = unicodedata.name(char, "?").split(" ", 1)[0]
    return _SAME_SCRIPT.get(script, script)


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))


def _refuse_binary(data: bytes) -> None:
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > 0.05 * len(sample):
        raise _Unusable("binary file, not text")


_SURROGATES = re.compile("[\ud800-\udfff]")


def _valid(text: str) -> str:
    """``text`` without lone surrogates (JSON can carry them; UTF-8 output cannot): each becomes U+FFFD."""
    if _SURROGATES.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --- JSON and JSON lines --------------------------------------------------------------------------------------

_JSON_FIELDS = ("url", "title", "date")


def _record_document(record: object, doc_id: str, file: File, encoding: str | None) -> Document:
    if not isinstance(record, dict):
        return _unusable(doc_id, file, "JSON record is not an object")
    url, title, date = (_valid(str(value)) if isinstance(value := record.get(key), (str, int, float)) else None
                        for key in _JSON_FIELDS)
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        return _dated(Document(id=doc_id, html=_valid(html), path=file.id, url=url, title=title, date=date,
                               source=file.source, encoding=encoding))
    if isinstance(text, str) and text.strip():
        return Document.from_text(_valid(text), id=doc_id, path=file.id, url=url, title=title, date=date,
                                  source=file.source, encoding=encoding)
    return _unusable(doc_id, file, 'JSON record has no "text" or "html" string')


def _record_id(file: File, record: object, number: int) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), (str, int)):
        given = record["id"] if isinstance(record["id"], str) else str(record["id"])
        return f"{file.id}#{given.encode('utf-8', 'backslashreplace').decode('utf-8')}"
    return f"{file.id}#{number}"


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unusable(f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise _Unusable("malformed JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise _Unusable(f"malformed JSON ({exc})") from None


def _load_json(text: str, file: File, encoding: str) -> Iterator[Document]:
    value = _parse_json(text)
    if not isinstance(value, list):
        yield _record_document(value, file.id, file, encoding)
        return
    if not value:
        raise _Unusable("empty JSON list")
    ids = _Ids(file.reserved)
    for number, record in enumerate(value):
        yield _record_document(record, ids.unique(_record_id(file, record, number)), file, encoding)


def _load_jsonl(handle: IO[bytes], file: File, max_bytes: int, ids: _Ids, *, gzipped: bool,
                skipped: int = 0) -> Iterator[Document]:
    """One document per non-blank line (lines end at ``\\n`` only), streamed: one line at a time is in memory,
    and a line over ``max_bytes`` is one unusable record. ``skipped``: lines already read from ``handle``."""
    chunks = _gunzip(handle) if gzipped else iter(lambda: handle.read(_CHUNK), b"")
    first, count = True, 0
    for number, line in _lines(chunks, max_bytes, skipped):
        if first and line is not None and line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise _Unusable("JSON lines in UTF-16: give them in UTF-8")
        if first and line is not None and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        first = False
        if line is not None and (not line or line.isspace()):
            continue
        count += 1
        yield _line_document(line, number, file, max_bytes, ids)
    if count == 0:
        raise _Unusable("empty file")


def _line_document(line: bytes | None, number: int, file: File, max_bytes: int, ids: _Ids) -> Document:
    if line is None:
        return _unusable(ids.unique(f"{file.id}#{number}"), file, f"JSON line too large (over {max_bytes} bytes)")
    try:
        text, encoding = (line.decode("utf-8"), "utf-8") if line.isascii() else _decode_text(line)
        record = _parse_json(text)
    except _Unusable as reason:
        return _unusable(ids.unique(f"{file.id}#{number}"), file,
                         str(reason).replace("malformed JSON", "malformed JSON line", 1))
    return _record_document(record, ids.unique(_record_id(file, record, number)), file, encoding)


_NEWLINES = re.compile(rb"\n+")


def _lines(chunks: Iterable[bytes], max_bytes: int, skipped: int = 0) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` of the lines in ``chunks``, split at ``\\n`` only (JSON strings may hold U+2028,
    U+2029 and U+0085 raw); a line over ``max_bytes`` is ``None``, not kept; empty lines are left out."""
    number, size = skipped, 0
    parts: list[bytes] = []
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if end == start and size == 0:  # empty lines, counted at once and not yielded
                stop = _NEWLINES.match(chunk, start).end()  # type: ignore[union-attr]
                number, start = number + stop - start, stop
                continue
            number += 1
            size += end - start
            yield number, None if size > max_bytes else b"".join([*parts, chunk[start:end]])
            parts, size, start = [], 0, end + 1
        size += len(chunk) - start
        if size > max_bytes:
            parts = []
        elif start < len(chunk):
            parts.append(chunk[start:])
    if size:
        yield number + 1, None if size > max_bytes else b"".join(parts)


# --- crawl formats --------------------------------------------------------------------------------------------


def _load_warc(handle: IO[bytes], file: File, max_bytes: int, ids: _Ids) -> Iterator[Document]:
    """One document per ``response`` (or ``resource``) record of a WARC or WARC.gz file, streamed; other record
    types (request, metadata, warcinfo, revisit) are not articles and are skipped. A broken record is one
    unusable record, and the end of the file (a WARC cannot be re-synchronised)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise _Unusable("reading WARC files needs warcio (pip install 'dedup[warc]')") from None
    number, count, problem = 0, 0, None
    records = ArchiveIterator(handle)
    try:
        for number, record in enumerate(records, start=1):
            if record.rec_type is None:
                problem = "a record without a WARC header"
                break
            if record.rec_type in ("response", "resource"):
                count += 1
                yield _warc_document(record, ids.unique(f"{file.id}#{number}"), file, max_bytes)
        else:
            number += 1
            read, size = getattr(records, "offset", None), os.fstat(handle.fileno()).st_size
            if isinstance(read, int) and read < size:  # warcio stops quietly at a record it cannot parse
                problem = f"unreadable data from byte {read} of {size}"
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds of errors on broken data
        number += 1
        problem = f"{type(exc).__name__}: {exc}"[:200]
    if problem is not None:
        count += 1
        yield _unusable(ids.unique(f"{file.id}#{number}"), file,
                        f"broken WARC record; the rest of the file is not read ({problem})")
    if count == 0:
        raise _Unusable("no response records in the WARC file")


def _warc_document(record: Any, doc_id: str, file: File, max_bytes: int) -> Document:
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    status = record.http_headers.get_statuscode() if record.http_headers is not None else "200"
    content_type = (headers.get_header("Content-Type") if headers is not None else None) or ""
    media, _, parameters = content_type.partition(";")
    media = media.strip().lower()
    if not str(status).startswith("2"):
        return _unusable(doc_id, file, f"HTTP status {status}", url=url, date=date)
    if media and "html" not in media and media != "text/plain":
        return _unusable(doc_id, file, f"not HTML or text ({media})", url=url, date=date)
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # noqa: BLE001 - a bad chunked or compressed body spoils this record only
        return _unusable(doc_id, file, f"cannot decode the record's content ({type(exc).__name__})", url=url,
                         date=date)
    if len(data) > max_bytes:
        return _unusable(doc_id, file, f"record too large (over {max_bytes} bytes)", url=url, date=date)
    if getattr(record.raw_stream, "limit", 0):  # bytes the record declares that the file does not have
        return _unusable(doc_id, file, "truncated WARC record", url=url, date=date)
    if not data.strip():
        return _unusable(doc_id, file, "empty record", url=url, date=date)
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", parameters, re.IGNORECASE)
    try:
        if media == "text/plain":
            text, encoding = _decode_text(data)
            return Document.from_text(text, id=doc_id, path=file.id, url=url, date=date, source=file.source,
                                      encoding=encoding)
        html, encoding = _decode_html(data, charset.group(1) if charset else None)
    except _Unusable as reason:
        return _unusable(doc_id, file, str(reason), url=url, date=date)
    return _dated(Document(id=doc_id, html=html, path=file.id, url=url, date=date, source=file.source,
                           encoding=encoding))


_PARQUET_COLUMNS = ("id", "text", "html", "url", "title", "date")


def _load_parquet(handle: IO[bytes], file: File, max_bytes: int, ids: _Ids) -> Iterator[Document]:
    """One document per row of a Parquet file, with the JSON lines fields as columns, a batch at a time."""
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise _Unusable("reading Parquet files needs pyarrow (pip install 'dedup[parquet]')") from None
    table = parquet.ParquetFile(handle)
    columns = [name for name in _PARQUET_COLUMNS if name in table.schema_arrow.names]
    if not {"text", "html"} & set(columns):
        raise _Unusable(f'Parquet file has no "text" or "html" column (columns: {table.schema_arrow.names[:20]})')
    number = 0
    for batch in table.iter_batches(batch_size=256, columns=columns):
        for row in batch.to_pylist():
            number += 1
            if hasattr(row.get("date"), "isoformat"):  # a date or timestamp column
                row["date"] = row["date"].isoformat()
            too_large = any(isinstance(row.get(name), str) and len(row[name]) > max_bytes for name in ("text", "html"))
            doc_id = ids.unique(_record_id(file, row, number))
            if too_large:
                yield _unusable(doc_id, file, f"row too large (over {max_bytes} characters)")
            else:
                yield _record_document(row, doc_id, file, None)
    if number == 0:
        raise _Unusable("empty Parquet file (no rows)")
