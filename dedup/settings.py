"""Settings: what makes two articles copies and how they are fingerprinted, validated where they enter."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import ConfigError
from .lsh import optimal_params
from .minhash import check_settings

__all__ = ["DEFAULT", "Default", "Settings", "lsh_params", "settings_from"]

#: The LSH bands are tuned for this share of the smaller of ``threshold`` and ``containment`` (0.2 by default): a
#: copy cut to half and rewritten in one sentence of four has a Jaccard similarity near 0.2. Tuned on one half of the
#: syndication benchmark with rewrites (BENCHMARKS.md, issue 15): its recall was 0.904 with 0.6 (0.3), 0.936 with 0.4
#: (a fifth more candidate pairs); 0.3 (0.15) added 0.005 for half as many pairs again on the speed benchmark.
_CANDIDATE_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Settings:
    """Clustering settings, validated on creation.

    ``threshold``: Jaccard similarity of word shingle sets from which two articles are copies.
    ``containment``: share of the smaller article's shingles found in the larger one from which they are copies
    too (a copy cut from the bottom, or one with a local intro added); ``None`` turns the rule off.
    ``min_shingles``: the smaller article needs at least this many shingles for the containment rule.
    ``num_perm``: MinHash permutations per signature; ``ngram``: words per shingle; ``seed``: of the permutations.
    ``candidate_threshold``: the Jaccard similarity the LSH bands are tuned for; lower than ``threshold`` so that
    cut copies (high containment, Jaccard near one half) still become candidates.
    ``min_shared_words``: two articles are never copies on fewer shared words than this (boilerplate aside).
    ``boilerplate_docs``: text carried by at least this many documents of a batch that are otherwise different
    stories does not count towards a copy (``verify.find_boilerplate``).
    ``site_chrome``: drop the paragraphs a site repeats across its documents (``clean.remove_repeated_blocks``)
    before fingerprinting; different stories of one site then stop looking alike.
    """

    threshold: float = 0.5
    containment: float | None = 0.8
    min_shingles: int = 20
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    candidate_threshold: float | None = None
    site_chrome: bool = True
    min_shared_words: int = 25
    boilerplate_docs: int = 20

    def __post_init__(self) -> None:
        check_settings(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed)
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise ConfigError(f"containment must be in (0, 1] or None, got {self.containment!r}")
        if self.candidate_threshold is not None and not 0.0 < self.candidate_threshold < 1.0:
            raise ConfigError(f"candidate_threshold must be in (0, 1), got {self.candidate_threshold!r}")
        if self.min_shared_words < 0:
            raise ConfigError(f"min_shared_words must not be negative, got {self.min_shared_words!r}")
        if self.boilerplate_docs < 2:
            raise ConfigError(f"boilerplate_docs must be at least 2, got {self.boilerplate_docs!r}")
        if self.min_shingles < 1:
            raise ConfigError(f"min_shingles must be positive, got {self.min_shingles!r}")

    @property
    def lsh_threshold(self) -> float:
        if self.candidate_threshold is not None:
            return self.candidate_threshold
        return min(0.99, max(0.05, _CANDIDATE_SHARE * min(self.threshold, self.containment or 1.0)))

    def as_dict(self) -> dict[str, Any]:
        """The fields by name (what an index stores and compares)."""
        return asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(item.name for item in fields(cls))


class Default(enum.Enum):
    """The value of a keyword option that was not given (``settings_from`` fills it from ``Settings``)."""

    DEFAULT = "default"

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT = Default.DEFAULT


def settings_from(settings: Settings | None, **options: Any) -> Settings:
    """``settings``, or ``Settings`` built from the keyword options that were given (not ``DEFAULT``). Both
    at once is a ``ConfigError``: one of them would be silently ignored."""
    given = {name: value for name, value in options.items() if value is not DEFAULT}
    if settings is None:
        return Settings(**given)
    if given:
        raise ConfigError(f"pass either settings= or {', '.join(sorted(given))}, not both")
    return settings


def lsh_params(settings: Settings) -> tuple[int, int]:
    """Bands and rows per band of the LSH step for these settings."""
    return optimal_params(round(settings.lsh_threshold, 4), settings.num_perm)
