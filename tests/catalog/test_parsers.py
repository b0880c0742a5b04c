"""The string-family parsers, on strings as real tools print them, and their properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinchuang.catalog.cjk_tokens import identity_text
from xinchuang.catalog.parse_cpu import parse_cpu
from xinchuang.catalog.parse_machine import brand_and_model, is_placeholder
from xinchuang.catalog.parse_release import parse_release
from xinchuang.catalog.parse_windows import parse_windows
from xinchuang.catalog.tokens import name_tokens

# --------------------------------------------------------------------------- CPU


@pytest.mark.parametrize(
    ("text", "maker", "canonical"),
    [
        ("Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz", "intel", "Intel Xeon E5-2650 v4"),
        ("Intel(R) Xeon(R) CPU           X3430  @ 2.40GHz", "intel", "Intel Xeon X3430"),
        ("E5-2650V4", "intel", "Intel Xeon E5-2650 v4"),
        ("Intel(R) Xeon(R) Gold 6140 CPU @ 2.30GHz", "intel", "Intel Xeon Gold 6140"),
        ("Intel(R) Core(TM) i7-4720HQ CPU @ 2.60GHz", "intel", "Intel Core i7-4720HQ"),
        ("AMD EPYC 7451 24-Core Processor", "amd", "AMD EPYC 7451"),
        ("Quad-Core AMD Opteron(tm) Processor 2376", "amd", "AMD Opteron 2376"),
        ("Hygon C86 3250  8-core Processor", "hygon", "Hygon C86 3250"),
        ("ZHAOXIN KaiXian KX-U6780A@2.7GHz", "zhaoxin", "ZHAOXIN KaiXian KX-U6780A"),
        ("兆芯 KX-U6780A", "zhaoxin", "ZHAOXIN KaiXian KX-U6780A"),
        ("VIA Nano U3500@1000MHz", "via", "VIA Nano U3500"),
        ("FT-2000/4", "phytium", "Phytium FT-2000/4"),
        ("FT-2000+/64", "phytium", "Phytium FT-2000+/64"),
        ("Phytium,D2000/8", "phytium", "Phytium D2000"),
        ("Phytium D2000/8 E8C", "phytium", "Phytium D2000"),
        ("FTC663", "phytium", "Phytium FTC663"),
        ("Kunpeng-920", "huawei", "Kunpeng 920"),
        ("HUAWEI Kunpeng 920 3210", "huawei", "Kunpeng 920"),
        ("Loongson-3A5000-HV", "loongson", "Loongson-3A5000"),
        ("Loongson-3C5000L", "loongson", "Loongson-3C5000"),
        ("龙芯3A6000", "loongson", "Loongson-3A6000"),
        ("HUAWEI Kirin 9006C", "huawei", "Kirin 9006C"),
        ("申威1621", "sunway", "Sunway 1621"),
        ("Cortex-A72", "arm", "Cortex-A72"),
    ],
)
def test_cpu_model_strings(text: str, maker: str, canonical: str) -> None:
    found = parse_cpu(text)
    assert found is not None
    assert (found.maker, found.canonical) == (maker, canonical)


def test_a_phytium_core_name_names_no_chip() -> None:
    # FTC663 cores sit in the FT-2000/4, the D2000 and the S2500 alike
    found = parse_cpu("FTC663")
    assert found is not None and found.line is None


def test_strings_that_name_no_cpu() -> None:
    for text in ("", "   ", "ARMv8 Processor rev 0 (v8l)", "Not Specified", "<BAD INDEX>"):
        assert parse_cpu(text) is None


# --------------------------------------------------------------------------- releases


@pytest.mark.parametrize(
    ("text", "os_id", "version"),
    [
        ("CentOS Linux release 8.5.2111", "centos", "8.5.2111"),
        ("Red Hat Enterprise Linux Server release 6.7 (Santiago)", "rhel", "6.7"),
        ("Red Hat Enterprise Linux release 8.6 (Ootpa)", "rhel", "8.6"),
        ("Kylin Linux Advanced Server release V10 (Sword)", "kylin", "V10"),
        ("NeoKylin Linux Advanced Server release 7.0", "neokylin", "7.0"),
        ("uos release 20 (fuyu)", "uos", "20"),
        ("UnionTech OS Server 20", "uos", "20"),
        ("openEuler release 20.03 (LTS)", "openEuler", "20.03"),
        ("Debian GNU/Linux 10 (buster)", "debian", "10"),
        ("Red Hat Enterprise Linux 7 (64-bit)", "rhel", "7"),
        ("Suse Linux Enterprise Server 12 (64 bit)", "sles", "12"),
        ("rhel7_64Guest", "rhel", "7"),
        ("sles12_64Guest", "sles", "12"),
        ("centos64Guest", "centos", None),
        ("centos7", "centos", "7"),
        ("VMware ESXi 7.0", "vmkernel", "7.0"),
    ],
)
def test_release_strings(text: str, os_id: str, version: str | None) -> None:
    found = parse_release(text)
    assert found is not None
    assert (found.os_id, found.version) == (os_id, version)


# --------------------------------------------------------------------------- Windows


@pytest.mark.parametrize(
    ("text", "version", "canonical"),
    [
        ("Microsoft Windows 10 Pro", None, "Windows 10"),
        ("Microsoft Windows 10 专业版", None, "Windows 10"),
        ("Microsoft Windows Server 2012 R2 标准版", None, "Windows Server 2012 R2"),
        ("Windows Server 2008 R2 (64 bit)", None, "Windows Server 2008 R2"),
        ("Windows 8 Server (64 bit)", None, "Windows Server 2012"),  # vSphere's name
        ("windows7Server64Guest", None, "Windows Server 2008 R2"),
        ("windows9_64Guest", None, "Windows 10"),  # vSphere's id for Windows 10
        ("winNetStandardGuest", None, "Windows Server 2003"),
        ("win7", None, "Windows 7"),
        ("Win2008R2", None, "Windows Server 2008 R2"),
        ("Win Server 2012", None, "Windows Server 2012"),
        ("Windwos 7", None, "Windows 7"),
        ("Windows", "10 专业版", "Windows 10"),
        ("Windows", None, "Windows"),
    ],
)
def test_windows_names(text: str, version: str | None, canonical: str) -> None:
    found = parse_windows(text, version)
    assert found is not None
    assert found.canonical == canonical


def test_windows_parser_leaves_other_names_alone() -> None:
    for text in ("WinRAR 5.70", "Windchill", "Kylin V10", ""):
        found = parse_windows(text)
        assert found is None or text.lower().startswith("win")
    assert parse_windows("WinRAR 5.70") is None or parse_windows("WinRAR 5.70").release is None  # type: ignore[union-attr]


# --------------------------------------------------------------------------- machines, CJK


def test_brand_and_model() -> None:
    brands, model = brand_and_model("浪潮 NF5270M6")
    assert brands[0] == "浪潮" and model == "NF5270M6"
    brands, model = brand_and_model("ThinkSystem SR650 -[7X06CTO1WW]-", dmi_vendor="LENOVO")
    assert brands[0] == "LENOVO" and model == "ThinkSystem SR650"
    brands, model = brand_and_model("长城TN140A2", vendor="GreatWall")
    assert brands[0] == "GreatWall" and model == "长城 TN140A2"
    assert is_placeholder("To Be Filled By O.E.M.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中标麒麟高级服务器操作系统 V7.0", "中标麒麟 v7.0"),
        ("东方通应用服务器 TongWeb V7.0", "东方通 tongweb v7.0"),
        ("人大金仓数据库管理系统 V8R6", "人大金仓 v8r6"),
        ("ＵＯＳ　Ｖ２０", "uos v20"),
        ("服务器", "服务器"),  # nothing but generic words: kept whole
        ("Windows Server 2019", "windows server 2019"),  # English words are never generic
    ],
)
def test_identity_text(text: str, expected: str) -> None:
    assert identity_text(text) == expected


def test_chinese_qualifiers_that_tell_products_apart_survive_as_tokens() -> None:
    assert name_tokens("统信 UOS 服务器操作系统 V20 企业版") == {"统信", "uos", "server", "20"}
    assert name_tokens("统信UOS桌面操作系统V20专业版") == {"统信", "uos", "desktop", "20"}


# --------------------------------------------------------------------------- properties

texts = st.text(max_size=60)
relaxed = settings(max_examples=300, deadline=None)


@relaxed
@given(texts)
def test_parsers_never_raise(text: str) -> None:
    parse_cpu(text)
    parse_release(text)
    parse_windows(text)
    parse_windows("Windows", text)
    brand_and_model(text, text, text, text)
    identity_text(text)
    name_tokens(text)


@relaxed
@given(st.sampled_from(["Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz", "FT-2000/4", "Kunpeng-920"]))
def test_cpu_spacing_and_width_do_not_matter(text: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    spaced = text.replace(" ", "   ")
    assert parse_cpu(wide) == parse_cpu(text) == parse_cpu(spaced)


@relaxed
@given(
    st.sampled_from(["人大金仓", "东方通 TongWeb", "统信 UOS", "中标麒麟"]),
    st.lists(
        st.sampled_from(["数据库管理系统", "应用服务器", "操作系统", "企业版", "64位"]), max_size=3
    ),
)
def test_generic_words_never_change_identity(name: str, generic: list[str]) -> None:
    assert identity_text(name + "".join(generic)) == identity_text(name)


@relaxed
@given(st.sampled_from(["7", "10", "11", "2008 R2", "2012", "2016", "2019"]), st.booleans())
def test_a_windows_caption_reads_back_its_release(release: str, chinese: bool) -> None:
    server = not release.isdigit() or len(release) == 4
    caption = (
        f"Microsoft Windows {'Server ' if server else ''}{release} {'专业版' if chinese else 'Pro'}"
    )
    found = parse_windows(caption)
    assert found is not None and found.release == release
    assert found.line == ("server" if server else "desktop")
