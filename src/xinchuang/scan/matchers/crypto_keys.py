"""Certificates and keys, judged by the algorithm identifiers inside them.

A PEM block is decoded and its DER searched for the object identifiers of
the key algorithm: rsaEncryption (1.2.840.113549.1.1.1), id-ecPublicKey
(1.2.840.10045.2.1) with a curve, and the SM2 curve (1.2.156.10197.1.301,
GB/T 35276). A certificate or key on RSA, or on an elliptic curve other
than SM2, does not pass the commercial-cryptography assessment.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule

# DER encodings of the object identifiers (tag 06, length, value).
_RSA = bytes.fromhex("06092a864886f70d010101")
_EC = bytes.fromhex("06072a8648ce3d0201")
_SM2_CURVE = bytes.fromhex("06082a811ccf5501822d")
_SM2_SM3 = bytes.fromhex("06082a811ccf55018375")
_DSA = bytes.fromhex("06072a8648ce380401")
_ED25519 = bytes.fromhex("06032b6570")

_PEM = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----(?P<body>[A-Za-z0-9+/=\s:,\-]*?)-----END (?P=label)-----"
)
_LEGACY_LABELS = {
    "RSA PRIVATE KEY": "RSA",
    "RSA PUBLIC KEY": "RSA",
    "DSA PRIVATE KEY": "DSA",
    "EC PRIVATE KEY": None,  # curve decides
}


def algorithm(der: bytes) -> str | None:
    """RSA, ECDSA (non-SM2 curve), DSA, Ed25519 or SM2 for a DER blob; None when unknown."""
    if _SM2_CURVE in der or _SM2_SM3 in der:
        return "SM2"
    if _RSA in der:
        return "RSA"
    if _EC in der:
        return "ECDSA"
    if _DSA in der:
        return "DSA"
    if _ED25519 in der:
        return "Ed25519"
    return None


def _decode(body: str) -> bytes:
    lines = [ln for ln in body.strip().splitlines() if ln and ":" not in ln]
    try:
        return base64.b64decode("".join(lines), validate=False)
    except (binascii.Error, ValueError):
        return b""


def match_keys(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """PEM blocks and DER files whose key algorithm is not SM2."""
    if "der" in ctx.kinds and ctx.data and not ctx.text:
        found = algorithm(ctx.data)
        if found and found != "SM2":
            yield Hit(
                line=None,
                snippet=found,
                message=_("{title}: {algorithm}").format(title=rule.title.local(), algorithm=found),
                detail={"algorithm": found},
            )
        return
    if "-----BEGIN" not in ctx.text:
        return
    for block in _PEM.finditer(ctx.text):
        label = block.group("label")
        if "ENCRYPTED" in label or label in ("CERTIFICATE REQUEST", "X509 CRL", "PKCS7"):
            found = None
        else:
            found = _LEGACY_LABELS.get(label) or algorithm(_decode(block.group("body")))
        if found is None or found == "SM2":
            continue
        yield Hit(
            offset=block.start(),
            snippet=f"-----BEGIN {label}----- ({found})",
            message=_("{title}: {label} with {algorithm}").format(
                title=rule.title.local(), label=label.lower(), algorithm=found
            ),
            detail={"algorithm": found, "label": label},
        )
