from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from app.signature import sign, verify

secrets = st.text(min_size=1, max_size=64)
bodies = st.binary(max_size=4096)


def test_github_documented_example() -> None:
    # The example from GitHub's webhook validation documentation.
    assert verify(
        "It's a Secret to Everybody",
        b"Hello, World!",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    )


@given(secret=secrets, body=bodies)
def test_own_signature_verifies(secret: str, body: bytes) -> None:
    assert verify(secret, body, sign(secret, body))


@given(secret=secrets, body=bodies, other=bodies)
def test_signature_of_other_body_fails(secret: str, body: bytes, other: bytes) -> None:
    if other != body:
        assert not verify(secret, body, sign(secret, other))


@given(secret=secrets, other=secrets, body=bodies)
def test_signature_with_other_secret_fails(secret: str, other: str, body: bytes) -> None:
    if other != secret:
        assert not verify(secret, body, sign(other, body))


@given(secret=secrets, body=bodies)
def test_sha1_header_is_refused_even_when_correct(secret: str, body: bytes) -> None:
    sha1 = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    assert not verify(secret, body, sha1)


@given(secret=secrets, body=bodies, header=st.text(max_size=200))
def test_arbitrary_headers_never_raise_and_never_pass(secret: str, body: bytes, header: str) -> None:
    assert verify(secret, body, header) == (header == sign(secret, body))


@given(body=bodies)
def test_empty_secret_accepts_nothing(body: bytes) -> None:
    assert not verify("", body, sign("", body))
    assert not verify("s", body, None)
    assert not verify("s", body, "")


@given(secret=secrets, body=bodies, position=st.integers(min_value=7, max_value=70))
def test_one_flipped_hex_digit_fails(secret: str, body: bytes, position: int) -> None:
    good = sign(secret, body)
    flipped = good[:position] + ("0" if good[position] != "0" else "1") + good[position + 1 :]
    assert not verify(secret, body, flipped)
