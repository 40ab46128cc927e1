"""Output: a readable table, JSON, JSON lines and CSV of a clustering."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict

from .align import Alignment, align
from .cluster import Clustering

__all__ = ["records", "render"]

FORMATS = ("table", "json", "jsonl", "csv")


def records(result: Clustering, *, with_alignment: bool = False) -> Iterator[dict]:
    """One flat record per input article, in input order."""
    texts = {article.id: article.text for article in result.articles}
    for article, label in zip(result.articles, result.labels):
        record: dict = {"doc": article.id, "cluster": label, "canonical": False, "error": article.error}
        if label is not None:
            group = result.clusters[label]
            member = next(member for member in group.members if member.doc == article.id)
            record.update(canonical=member.canonical, canonical_doc=group.canonical, size=len(group),
                          similarity=member.similarity, containment=member.containment)
            if with_alignment:
                record["alignment"] = (None if member.canonical
                                       else _alignment_record(align(article.text, texts[group.canonical])))
        record.update(title=article.title, date=article.date, wire=article.wire, dateline=article.dateline,
                      url=article.url)
        yield record


def _alignment_record(alignment: Alignment) -> dict:
    return {
        "relationship": alignment.relationship,
        "similarity": alignment.similarity,
        "containment_doc": alignment.containment_a,
        "containment_canonical": alignment.containment_b,
        "spans": [
            {"doc_start": s.a_start, "doc_end": s.a_end, "canonical_start": s.b_start, "canonical_end": s.b_end,
             "score": s.score}
            for s in alignment.spans
        ],
    }


def render(result: Clustering, fmt: str, *, with_alignment: bool = False) -> str:
    """The clustering as text in one of ``FORMATS``."""
    if fmt == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False) + "\n"
                       for record in records(result, with_alignment=with_alignment))
    if fmt == "json":
        document = {
            "settings": asdict(result.settings),
            "summary": _summary(result),
            "clusters": [
                {"id": group.id, "canonical": group.canonical, "size": len(group),
                 "members": [asdict(member) for member in group.members]}
                for group in result.clusters
            ],
            "documents": list(records(result, with_alignment=with_alignment)),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        fields = ["doc", "cluster", "canonical", "canonical_doc", "size", "similarity", "containment", "error",
                  "title", "date", "wire"]
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records(result))
        return buffer.getvalue()
    if fmt == "table":
        return _table(result)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _summary(result: Clustering) -> dict:
    multi = [group for group in result.clusters if len(group) > 1]
    return {
        "documents": len(result.articles),
        "unusable": sum(1 for article in result.articles if article.error is not None),
        "clusters": len(result.clusters),
        "clusters_with_copies": len(multi),
        "copies": sum(len(group) - 1 for group in multi),
    }


def _table(result: Clustering) -> str:
    lines = []
    multi = [group for group in result.clusters if len(group) > 1]
    singles = [group for group in result.clusters if len(group) == 1]
    width = max([len(member.doc) for group in result.clusters for member in group.members] + [20])
    if multi:
        lines.append(f"{'cluster':>7}  {'document':<{width}}  {'similarity':>10}  {'containment':>11}")
    for group in multi:
        ordered = sorted(group.members, key=lambda member: (not member.canonical, member.doc))
        for number, member in enumerate(ordered):
            label = f"{group.id:>7}" if number == 0 else " " * 7
            mark = " *" if member.canonical else "  "
            lines.append(f"{label}  {member.doc:<{width}}  {member.similarity:>10.3f}  {member.containment:>11.3f}{mark}")
        lines.append("")
    if singles:
        lines.append(f"{len(singles)} article(s) without copies:")
        lines.extend(f"{group.id:>7}  {group.canonical}" for group in singles)
        lines.append("")
    errors = [article for article in result.articles if article.error is not None]
    if errors:
        lines.append(f"{len(errors)} unusable input(s):")
        lines.extend(f"         {article.id}: {article.error}" for article in errors)
        lines.append("")
    summary = _summary(result)
    lines.append(
        f"{summary['documents']} documents, {summary['clusters']} clusters, {summary['clusters_with_copies']} with "
        f"copies ({summary['copies']} copies), {summary['unusable']} unusable.  * = canonical"
    )
    return "\n".join(lines) + "\n"
