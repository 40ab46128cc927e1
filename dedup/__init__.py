"""dedup: find syndicated news — copies of one wire story republished across sites.

    >>> import dedup
    >>> docs = dedup.load("data/samples")
    >>> result = dedup.cluster(docs)
    >>> [c.canonical for c in result.clusters if len(c) > 1]

Stages, one module each, strung together by ``pipeline``: ``documents`` (load) → ``clean`` → ``shingle`` →
``minhash`` → ``lsh`` → ``verify`` → ``components``; the engines ``cluster`` (batch), ``index`` (persistent) and
``spark`` run it; ``align`` and ``report`` show the result.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from .align import Alignment, Span, align  # noqa: E402
from .clean import Article, clean  # noqa: E402
from .cluster import Clustering, cluster, cluster_files  # noqa: E402
from .components import Cluster, Member  # noqa: E402
from .documents import Document, load  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    DedupError,
    IncompatibleIndex,
    IndexBusy,
    IndexCorrupt,
    IndexFull,
    InputError,
)
from .minhash import Signatures, signatures  # noqa: E402
from .settings import Settings  # noqa: E402

if TYPE_CHECKING:  # for type checkers the index's names are ordinary imports
    from .index import AddResult, Index, Match

# The index's names are imported on first use (PEP 562): ``python -m dedup cluster`` need not load sqlite3.
_LAZY = {"AddResult": "index", "Index": "index", "Match": "index"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "AddResult",
    "Alignment",
    "Article",
    "Cluster",
    "Clustering",
    "ConfigError",
    "DedupError",
    "Document",
    "IncompatibleIndex",
    "Index",
    "IndexBusy",
    "IndexCorrupt",
    "IndexFull",
    "InputError",
    "Match",
    "Member",
    "Settings",
    "Signatures",
    "Span",
    "__version__",
    "align",
    "clean",
    "cluster",
    "cluster_files",
    "load",
    "signatures",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
