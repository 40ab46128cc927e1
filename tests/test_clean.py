from __future__ import annotations

import re

import pytest

from dedup import Document, clean, load
from dedup.clean import clean_text

from .conftest import SAMPLES, SEED_000, SEED_001, SEED_004

SEED_001_CHROME = [
    "TRENDING", "Health News Roundup", "Science News Roundup", "FEATURE-Move over", "Researchers identify secret",
    "DevShots", "Latest News", "OPINION / BLOG / INTERVIEW", "African tech solutions", "Another day, another scandal",
    "Connect us on", "LinkedIn Quora Youtube RSS", "Give Feedback", "Subscribe to our Newsletter", "Email: info@",
    "Phone: +91", "© Copyright 2022", "Left Menu", "Country:", "VisionRI", "Disclaimer", "SECTORS", "EDITIONS",
    "Image Credit", "has not been edited by Devdiscourse staff",
]


# Long lines of the seed files that are not article body: teaser headlines, a photo caption, notes and credits.
NOT_BODY = ("Health News Roundup", "Science News Roundup", "FILE PHOTO", "(This story", "(Reporting by", "ANI |",
            "African tech solutions", "Another day, another scandal", "FEATURE-Move over")


def _paragraphs(path):
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if len(line.split()) >= 12 and not line.strip().startswith(NOT_BODY) and "Image Credit" not in line]


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def test_seed_001_chrome_is_gone_and_the_article_kept():
    (doc,) = load(SEED_001)
    article = clean(doc)
    for chrome in SEED_001_CHROME:
        assert chrome not in article.text, chrome
    body = _squash(article.text)
    for paragraph in [
        "US Secretary of State Antony Blinken spoke today with UK Foreign Secretary Elizabeth Truss on Wednesday",
        "Both sides discussed the \"extensive bilateral coordination",
        "\"Secretary Blinken condemned the Russian Federation's decision to recognize",
        "read the statement by the US State Department.",
    ]:
        assert paragraph in body
    assert article.wire == "ANI"
    assert article.dateline == "Washington DC"
    assert article.date == "2022-02-24"
    assert article.title.startswith("Blinken speaks with UK Foreign Secretary")


@pytest.mark.parametrize("seed", [SEED_000, SEED_001, SEED_004])
def test_no_body_paragraph_of_a_seed_is_lost(seed):
    (doc,) = load(seed)
    article = clean(doc)
    body = _squash(article.text)
    for paragraph in _paragraphs(seed):
        if paragraph == article.title:
            continue
        if paragraph.startswith("date "):
            paragraph = paragraph.split(" ", 2)[2]
        assert _squash(paragraph) in body


def test_seed_000_keeps_its_subheading_and_drops_the_image_credit():
    (doc,) = load(SEED_000)
    text = clean(doc).text
    assert "Blinken also spoke with EU's Joseph Borrell" in text
    assert "(Image: AP)" not in text


def test_seed_004_metadata():
    (doc,) = load(SEED_004)
    article = clean(doc)
    assert article.wire == "Reuters"
    assert article.dateline == "WASHINGTON (Reuters) -"
    assert article.title == "Blinken, UK’s Truss discuss additional response to Ukraine invasion"
    assert "Exit mobile version" not in article.text
    assert "FILE PHOTO" not in article.text
    assert "Reporting by" not in article.text


def test_html_goes_through_trafilatura_without_chrome():
    (doc,) = load(SAMPLES / "003_global_desk_reprint.html")
    article = clean(doc)
    assert article.error is None
    assert "condemned the Russian Federation" in article.text
    for chrome in ("Trending", "Oil tops $100", "Privacy Policy", "Sign up", "Subscribe"):
        assert chrome not in article.text
    assert article.title == "US, UK top diplomats discuss sanctions on Russia"
    assert article.date == "2022-02-24"
    assert article.sitename == "Global Desk"


def test_unusable_documents_keep_their_reason():
    article = clean(Document(id="x", error="empty file"))
    assert article.error == "empty file" and article.text == ""
    assert clean(Document(id="y", text="Home\nMenu\nSubscribe")).error == "no article text found"


def test_malformed_html_does_not_crash():
    article = clean(Document(id="z", html="<html><body><p>unclosed <b>tags <div></p></span>"))
    assert article.id == "z"


def test_a_plain_article_passes_through_whole():
    text = ("The central bank raised its main interest rate by a quarter point on Tuesday, the third increase "
            "this year, and said it would keep watching prices closely.\n\nAnalysts had expected the move after "
            "inflation rose above five percent in the spring and stayed there through the summer months.")
    assert _squash(clean_text(text).text) == _squash(text)
