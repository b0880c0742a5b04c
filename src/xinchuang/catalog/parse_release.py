"""Operating-system release strings: release files, os-release names, VMware guest OS names.

Formats read:

* ``/etc/redhat-release`` and kin — ``CentOS Linux release 8.5.2111``, ``Red Hat Enterprise
  Linux Server release 6.7 (Santiago)``, ``Kylin Linux Advanced Server release V10 (Sword)``,
  ``NeoKylin Linux Advanced Server release 7.0``, ``openEuler release 20.03 (LTS)``,
  ``uos release 20 (fuyu)``: *NAME* ``release`` *VERSION* [``(``codename``)``];
* os-release ``PRETTY_NAME`` / ``NAME`` and lsb ``DISTRIB_DESCRIPTION`` — ``Ubuntu 18.04.6 LTS``,
  ``Debian GNU/Linux 10 (buster)``, ``UnionTech OS Server 20``: *NAME* [*VERSION*];
* VMware guest OS full names (what vSphere and RVTools show) — ``Red Hat Enterprise Linux 7
  (64-bit)``, ``CentOS 4/5 (64-bit)``, ``Suse Linux Enterprise Server 12 (64 bit)``, and the
  guest identifiers of a ``.vmx`` or the API — ``rhel7_64Guest``, ``centos64Guest``,
  ``sles12_64Guest``, ``vmkernel65Guest`` (vSphere API ``GuestOsDescriptor.GuestOsIdentifier``);
* register abbreviations — ``centos7``, ``rhel8``, ``CentOS7.9``.

:func:`parse_release` returns the os-release ``ID`` the distribution documents for itself
(``centos``, ``rhel``, ``kylin`` …), the name as written and the version, so the kernel can
use the catalog's os-release identifiers for strings that never came from an os-release file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinchuang.catalog.cjk_tokens import half_width


@dataclass(frozen=True, slots=True)
class Release:
    """A release string read: the distribution's os-release ID, its name, its version."""

    os_id: str
    name: str
    version: str | None
    distro: str = ""  # the distribution's name as written ("NeoKylin", "Solaris", "Mac OS")


# Leading words of a distribution's name → the ID its /etc/os-release documents.
# Longest first where one name starts another.
_NAMES: tuple[tuple[str, str], ...] = (
    (r"red\s?hat\s+enterprise\s+linux|\brhel\b|red\s?hat\s+linux", "rhel"),
    (r"centos(?:\s+linux|\s+stream)?", "centos"),
    (r"rocky\s+linux", "rocky"),
    (r"almalinux", "almalinux"),
    (r"oracle\s+linux|oracle\s+enterprise\s+linux|\bol\b", "ol"),
    (r"fedora(?:\s+linux)?", "fedora"),
    (r"debian(?:\s+gnu/linux)?", "debian"),
    (r"ubuntu(?:\s+linux)?", "ubuntu"),
    (r"suse\s+linux\s+enterprise\s+server|\bsles\b", "sles"),
    (r"opensuse", "opensuse"),
    (r"amazon\s+linux", "amzn"),
    (r"neokylin|neo\s?kylin|中标麒麟", "neokylin"),
    (r"kylinsec", "kylinsec"),
    (r"kylin(?:\s+linux)?|银河麒麟", "kylin"),
    (r"uniontech\s+os|\buos\b|统信", "uos"),
    (r"deepin", "deepin"),
    (r"openeuler", "openEuler"),
    (r"euleros", "euleros"),
    (r"anolis(?:\s+os)?", "anolis"),
    (r"opencloudos", "opencloudos"),
    (r"tencentos(?:\s+server)?", "tencentos"),
    (r"ctyunos", "ctyunos"),
    (r"huawei\s+cloud\s+euleros|hce", "hce"),
    (r"(?:oracle\s+)?solaris", "solaris"),
    (r"vmware\s+esxi?", "vmkernel"),
    (r"mac\s?os(?:\s?x)?", "macos"),
)
_NAME_RE = tuple((re.compile(rf"^\s*(?:{p})\b", re.IGNORECASE), os_id) for p, os_id in _NAMES)
_VERSION = re.compile(r"\b[vV]?(\d+(?:\.\d+)*)(?:/\d+)?\b|\b([vV]\d+)\b")

# vSphere guest identifiers: prefix → os-release ID (vim.vm.GuestOsDescriptor.GuestOsIdentifier)
_GUEST_IDS: tuple[tuple[str, str], ...] = (
    ("rhel", "rhel"),
    ("redhat", "rhel"),
    ("centos", "centos"),
    ("oracleLinux", "ol"),
    ("debian", "debian"),
    ("ubuntu", "ubuntu"),
    ("sles", "sles"),
    ("opensuse", "opensuse"),
    ("fedora", "fedora"),
    ("amazonlinux", "amzn"),
    ("rockylinux", "rocky"),
    ("almalinux", "almalinux"),
    ("solaris", "solaris"),
    ("vmkernel", "vmkernel"),
    ("darwin", "macos"),
)
_GUEST_NAMES = {"rhel": "Red Hat Enterprise Linux", "ol": "Oracle Linux", "sles": "SUSE Linux"}
_GUEST_NAMES |= {"solaris": "Solaris", "vmkernel": "VMware ESXi", "macos": "Mac OS"}
_GUEST = re.compile(r"^([a-zA-Z]+?)_?(\d+)?(?:_64)?Guest(?:64)?$")


def parse_guest_id(text: str) -> Release | None:
    """A vSphere guest identifier (``rhel7_64Guest``) as a release, or None."""
    found = _GUEST.match(text.strip())
    if not found:
        return None
    stem = found.group(1)
    digits = found.group(2)
    if digits and digits.endswith("64") and "_64" not in text and len(digits) > 2:
        digits = digits[:-2]  # rhel764Guest does not exist; sles1264Guest neither: 64 is the width
    elif digits == "64" and "_64" not in text:
        digits = None  # centos64Guest: the 64-bit CentOS 4/5 guest
    for prefix, os_id in _GUEST_IDS:
        if stem.lower().startswith(prefix.lower()):
            version = digits or stem[len(prefix) :] or None
            if version and not version.isdigit():
                version = None
            return Release(os_id, text.strip(), version, _GUEST_NAMES.get(os_id, prefix))
    return None


def parse_release(text: str) -> Release | None:
    """The distribution a release string names, with its version, or None (see module docs)."""
    if not text or not text.strip():
        return None
    guest = parse_guest_id(text)
    if guest:
        return guest
    clean = " ".join(half_width(text).split())
    # register abbreviations glue the version to the name: centos7, rhel8.6, CentOS7.9
    clean = re.sub(r"^(centos|rhel|ubuntu|debian|sles|kylin|uos)(\d)", r"\1 \2", clean, flags=re.I)
    for pattern, os_id in _NAME_RE:
        found = pattern.match(clean)
        if not found:
            continue
        rest = clean[found.end() :]
        rest = re.sub(r"\(\s*(?:64|32)[- ]bit\s*\)|\(experimental\)", " ", rest, flags=re.I)
        release = re.search(r"\brelease\s+([vV]?[\d.]+\w*)", rest, re.IGNORECASE)
        version_found = _VERSION.search(rest)
        if release:
            version: str | None = release.group(1)
        elif version_found:
            version = version_found.group(0)
        else:
            version = None
        return Release(os_id, clean, version, found.group(0).strip())
    return None
