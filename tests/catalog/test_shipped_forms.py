"""The issue's classes of register strings, on the shipped catalog: right origin, never wrong.

Unlike the kernel's own tests (fixture catalog), these read the catalog users get, because
what they pin is that real wording reaches it; they assert origins and levels, which a
catalog's growth does not change, and products only where the string names one exactly.
"""

from __future__ import annotations

import pytest

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.platform import machine_origin


@pytest.fixture(scope="module")
def shipped() -> Identifier:
    return Identifier.from_catalog(load_catalog())


@pytest.mark.parametrize(
    ("kind", "name", "hints", "origin"),
    [
        # 1. canonical release strings and captions
        ("os", "CentOS Linux release 8.5.2111", {}, "foreign"),
        ("os", "Red Hat Enterprise Linux release 8.6 (Ootpa)", {}, "foreign"),
        ("os", "Kylin Linux Advanced Server release V10 (Sword)", {}, "domestic"),
        ("os", "Red Hat Enterprise Linux 7 (64-bit)", {}, "foreign"),
        ("os", "Microsoft Windows Server 2012 R2 标准版", {}, "foreign"),
        ("os", "VMware ESXi 7.0.3", {}, "foreign"),
        # 2. Chinese names with generic words
        ("os", "中标麒麟高级服务器操作系统 V7.0", {}, "domestic"),
        ("os", "统信 UOS 服务器操作系统 V20 企业版", {}, "domestic"),
        ("software", "东方通应用服务器 TongWeb V7.0", {}, "domestic"),
        ("software", "人大金仓数据库 V8R6", {}, "domestic"),
        # 4. CPU model strings
        ("cpu", "兆芯 KX-U6780A", {}, "domestic"),
        ("cpu", "Hygon C86 3250  8-core Processor", {}, "domestic"),
        ("cpu", "Phytium,D2000/8", {}, "domestic"),
        ("cpu", "FTC663", {}, "domestic"),
        ("cpu", "Intel(R) Celeron(R) CPU N3060 @ 1.60GHz", {}, "foreign"),
        ("cpu", "AMD A10-5800B APU with Radeon(tm) HD Graphics", {}, "foreign"),
        # 5. abbreviations and typos
        ("os", "win7", {}, "foreign"),
        ("os", "Win2008R2", {}, "foreign"),
        ("os", "Windwos 7", {}, "foreign"),
        ("os", "centos7", {}, "foreign"),
        ("cpu", "E5-2650V4", {}, "foreign"),
        # 6. ties that do not matter for the rate
        ("os", "Windows", {"version": "10 专业版"}, "foreign"),
        ("os", "Kylin V10 SP2", {}, "domestic"),
    ],
)
def test_real_wording_gets_the_right_origin(
    shipped: Identifier, kind: str, name: str, hints: dict[str, str], origin: str
) -> None:
    match = shipped.identify(kind=kind, name=name, **hints)
    assert match.origin == origin, match.reason
    assert match.level != "none"


@pytest.mark.parametrize(
    ("name", "hints"),
    [
        ("VIA Nano U3500@1000MHz", {"cpu_vendor_id": "CentaurHauls"}),  # not Zhaoxin
        ("", {"cpu_vendor_id": "CentaurHauls"}),
        ("Cortex-A72", {}),  # an Arm core: any maker's SoC
    ],
)
def test_what_cannot_be_told_stays_unknown(
    shipped: Identifier, name: str, hints: dict[str, str]
) -> None:
    assert shipped.identify(kind="cpu", name=name, **hints).origin is None


@pytest.mark.parametrize(
    ("name", "vendor", "cpu", "origin"),
    [
        ("NF5270M6", "浪潮", "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", "foreign"),  # class 7
        ("TaiShan 200 (Model 2280)", "Huawei", "Kunpeng 920-4826", "domestic"),
        ("FusionServer 2288H V5", "Huawei", "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", "foreign"),
        ("I620-G30", "Sugon", "Hygon C86 7285 32-core Processor", "domestic"),
        # The NF…M line is sold with Intel (and AMD) CPUs only: a foreign platform, whatever
        # the brand (issue 8, class 7).
        ("NF5280M5", "浪潮电子信息产业股份有限公司", None, "foreign"),
        ("服务器", "浪潮电子信息产业股份有限公司", None, None),  # brand alone: unknown
        ("PowerEdge R740", "Dell Inc.", None, "foreign"),
        ("HPE ProLiant DL380 Gen10", None, None, "foreign"),
    ],
)
def test_a_machine_is_judged_with_its_cpu(
    shipped: Identifier, name: str, vendor: str | None, cpu: str | None, origin: str | None
) -> None:
    match = shipped.identify(kind="machine", name=name, vendor=vendor)
    cpu_origin = shipped.identify(kind="cpu", name=cpu).origin if cpu else None
    assert machine_origin(None, match, cpu_origin) == origin, match.reason
