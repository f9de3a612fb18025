"""Unit tests of the one escaping helper module."""

from __future__ import annotations

import json

import pytest

from corridors.render.escape import esc, json_for_script, safe_colour, safe_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        (
            "</script><script>alert(1)</script>",
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        ('Dera Ismail Khan\'s "bypass"', "Dera Ismail Khan&#x27;s &quot;bypass&quot;"),
        ("a & b", "a &amp; b"),
        ("گوادر", "گوادر"),
        ("Naxçıvan", "Naxçıvan"),
        (None, ""),
        (12, "12"),
    ],
)
def test_esc(text, expected):
    assert esc(text) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1&c=2",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/x",
        "  https://example.org/padded  ",
    ],
)
def test_safe_url_accepts_http(url):
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//example.org/protocol-relative",
        "/relative/path",
        "https://",
        "https://exa mple.org",
        "https://example.org/\nx",
        "",
        None,
        42,
        "ftp://example.org/file",
    ],
)
def test_safe_url_refuses(url):
    assert safe_url(url) is None


def test_json_for_script_cannot_break_out():
    value = {"n": "</script><script>alert(1)</script><!-- \u2028\u2029 & >"}
    text = json_for_script(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == value


def test_json_for_script_keeps_unicode_and_rejects_nan():
    assert json_for_script({"n": "თბილისი"}) == '{"n":"თბილისი"}'
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})


def test_safe_colour():
    assert safe_colour("#ABC", "#000000") == "#aabbcc"
    assert safe_colour("#1b7837", "#000000") == "#1b7837"
    assert safe_colour("red;background:url(x)", "#000000") == "#000000"
    assert safe_colour(None, "#111111") == "#111111"
