"""Masking (shape kept, value gone, idempotent), header and URL scrubbing, and the logging filter."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsec.pii import Category
from crmsec.redaction import RedactingFilter, mask, scrub_headers, scrub_text, scrub_url


@pytest.mark.parametrize(
    ("value", "category", "expected"),
    [
        ("jane.doe@example.com", None, "j***@e***.com"),
        ("+86 138 1234 5678", None, "+86 138****5678"),
        ("13812345678", "phone", "138****5678"),
        ("(415) 867-5309 x12", "phone", "415***5309"),
        ("11010519491231002X", None, "1101**********002X"),
        ("4111 1111 1111 1111", None, "************1111"),
        ("DE89 3704 0044 0532 0130 00", None, "DE****************3000"),
        ("536-22-1234", None, "***-**-1234"),
        ("E12345678", "passport", "*******78"),
        ("203.0.113.7", None, "203.*.*.*"),
        ("2001:db8::1", None, "2001:****"),
        ("1984-07-21", "date_of_birth", "1984-**-**"),
        ("张伟", "person_name", "张*"),
        ("Jane Doe", "person_name", "J*** D***"),
        ("Hauptstraße 12, 10115 Berlin", "street_address", "H***"),
        ("some free text with jane@example.com inside", None, "s***"),
        ("ab", None, "***"),
        ("", None, ""),
        ("hello", "not-a-category", "h***"),
        ("not an email", "email", "n***"),
        ("* 0", "person_name", "**** 0***"),
    ],
)
def test_mask_examples(value: str, category: str | None, expected: str) -> None:
    assert mask(value, category) == expected


CATEGORIES = st.sampled_from([None, *[category.value for category in Category]])


@settings(max_examples=400)
@given(st.text(max_size=60), CATEGORIES)
def test_mask_is_idempotent(value: str, category: str | None) -> None:
    once = mask(value, category)
    assert mask(once, category) == once
    assert mask(once) == once


@settings(max_examples=200)
@given(st.from_regex(r"[a-z]{3,10}\.[a-z]{3,10}@[a-z]{4,10}\.(com|org|cn)", fullmatch=True))
def test_masked_email_hides_local_part_and_domain(email: str) -> None:
    masked = mask(email, "email")
    local, domain = email.split("@")
    assert local not in masked and domain.split(".")[0] not in masked


@settings(max_examples=200)
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_phone_keeps_at_most_seven_digits(number: str) -> None:
    masked = mask(number, "phone")
    assert sum(char.isdigit() for char in masked) <= 7
    assert masked.endswith(number[-4:])


def test_scrub_headers() -> None:
    headers = {
        "Authorization": "Bearer abc.def",
        "Cookie": "sid=1",
        "Set-Cookie": "sid=2",
        "X-API-Key": "k-123",
        "X-Auth-Token": "t",
        "Accept": "application/json",
    }
    scrubbed = scrub_headers(headers)
    assert scrubbed == {
        "Authorization": "***",
        "Cookie": "***",
        "Set-Cookie": "***",
        "X-API-Key": "***",
        "X-Auth-Token": "***",
        "Accept": "application/json",
    }
    assert scrub_headers([("api-key", "x"), ("Content-Type", "text/plain")]) == {
        "api-key": "***",
        "Content-Type": "text/plain",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://user:pw@crm.example.test/api?access_token=abc&limit=5",
            "https://crm.example.test/api?access_token=***&limit=5",
        ),
        (
            "https://crm.example.test/x?key=1&sig=2&signature=3&page=2",
            "https://crm.example.test/x?key=***&sig=***&signature=***&page=2",
        ),
        (
            "https://crm.example.test/x?password=p&secret=s&api_key=k",
            "https://crm.example.test/x?password=***&secret=***&api_key=***",
        ),
        (
            "https://crm.example.test/cb#access_token=abc&state=1",
            "https://crm.example.test/cb#access_token=***&state=1",
        ),
        ("https://crm.example.test/plain?q=a%20b", "https://crm.example.test/plain?q=a%20b"),
    ],
)
def test_scrub_url(url: str, expected: str) -> None:
    assert scrub_url(url) == expected


def test_scrub_text_finds_urls_headers_and_pairs() -> None:
    text = "GET https://crm.example.test/a?token=T0K3N Authorization: Bearer s3cr3t-value"
    scrubbed = scrub_text(text)
    assert "T0K3N" not in scrubbed and "s3cr3t-value" not in scrubbed
    assert "https://crm.example.test/a?token=***" in scrubbed
    assert "client_secret=***" in scrub_text("form client_secret=abc123&grant_type=x")


def test_redacting_filter_scrubs_message_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("crmsec.test.redaction")
    handler_filter = RedactingFilter()
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="crmsec.test.redaction"):
            logger.info("calling %s with %s", "https://u:p@crm.example.test/x?api_key=K3Y", {"Cookie": "sid=C00KIE"})
            logger.info("token=PL41N in message")
    finally:
        logger.removeFilter(handler_filter)
    output = caplog.text
    for secret in ("K3Y", "C00KIE", "PL41N", "u:p@"):
        assert secret not in output
    assert "api_key=***" in output and "'Cookie': '***'" in output
    assert len(caplog.records) == 2


def test_scrub_message_keeps_our_own_words_but_not_url_secrets() -> None:
    from crmsec.redaction import scrub_message

    assert scrub_message("no access token: set CRMSEC_TOKEN") == "no access token: set CRMSEC_TOKEN"
    assert scrub_message("/etc/passwd: a profile must be a mapping") == "/etc/passwd: a profile must be a mapping"
    scrubbed = scrub_message("GET https://user:pw@crm.example.test/x?access_token=abcdef123 failed")
    assert "pw@" not in scrubbed and "abcdef123" not in scrubbed
    assert "Bearer abcdefgh12345" not in scrub_message("sent Bearer abcdefgh12345")
