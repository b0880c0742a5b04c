"""Generate the second sample organization: 江城市人民政府 (a city government), fictional.

    python scripts/gen_city.py [--output examples/sample-city]

A tier-2 (party and government) organization, PCs and office heavy: two units
(the city government's general office and its big-data bureau), about two
hundred office PCs on Windows with Microsoft Office, a few servers for the
OA, document exchange, website and e-government systems, and one unit whose
sector is written in a way the policy does not know (``财政``), so that the
planner's warning shows. Deterministic: a seeded generator, byte-identical
output on every run.
"""

# ruff: noqa: E501  (the data tables read better one row a line)
from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

SEED = 20261208
OFFICE, BUREAU, FINANCE = "市政府办公室", "市大数据局", "市财政局"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "sample-city"

PC_MODELS = (
    (
        "Dell Inc.",
        "OptiPlex 7090",
        "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz",
        "Windows",
        "10 专业版",
    ),
    (
        "HP",
        "HP EliteDesk 800 G6",
        "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz",
        "Windows",
        "10 专业版",
    ),
    ("联想", "开天M90z", "ZHAOXIN KaiXian KX-U6780A@2.7GHz", "麒麟", "V10桌面版"),
    ("长城电脑", "世恒 TF830", "Phytium,FT-2000/4", "UOS", "20 专业版"),
)
PC_SOFTWARE = (
    "Microsoft Office 专业增强版 2016、Google Chrome、Adobe Acrobat Reader DC",
    "Microsoft Office Professional Plus 2019、Microsoft Edge、钉钉",
    "WPS Office 2019 for Linux、奇安信可信浏览器",
    "WPS Office 2019 for Linux、数科OFD阅读器",
)
SERVERS = (
    # asset, hostname, model, cpu, os, software
    ("SRV-01", "oa-app-01", ("Dell Inc.", "PowerEdge R740"), "Intel(R) Xeon(R) Gold 6230", ("Windows Server", "2016"), "Microsoft SQL Server 2016、IIS"),
    ("SRV-02", "oa-db-01", ("Dell Inc.", "PowerEdge R740"), "Intel(R) Xeon(R) Gold 6230", ("Windows Server", "2016"), "Microsoft SQL Server 2016"),
    ("SRV-03", "gw-web-01", ("Inspur", "NF5280M6"), "Intel(R) Xeon(R) Silver 4314", ("CentOS", "7.9"), "nginx、MySQL 5.7、Tomcat 9"),
    ("SRV-04", "gw-web-02", ("Inspur", "NF5280M6"), "Intel(R) Xeon(R) Silver 4314", ("CentOS", "7.9"), "nginx、Tomcat 9"),
    ("SRV-05", "doc-app-01", ("Sugon", "H620-G30"), "Hygon C86 7285 32-core Processor", ("麒麟", "V10 服务器版"), "达梦数据库 V8、TongWeb 7"),
    ("SRV-06", "egov-app-01", ("Huawei", "TaiShan 200 (Model 2280)"), "Kunpeng 920", ("openEuler", "22.03"), "KingbaseES V8、TongWeb 7"),
    ("SRV-07", "egov-db-01", ("HPE", "ProLiant DL380 Gen10"), "Intel(R) Xeon(R) Gold 5218", ("Red Hat Enterprise Linux", "7.6"), "Oracle Database 19c、WebLogic 12c"),
    ("SRV-08", "mail-01", ("Dell Inc.", "PowerEdge R640"), "Intel(R) Xeon(R) Silver 4210", ("Windows Server", "2012 R2"), "Microsoft Exchange Server 2013"),
    ("SRV-09", "fin-app-01", ("Dell Inc.", "PowerEdge R740"), "Intel(R) Xeon(R) Gold 6230", ("Windows Server", "2016"), "用友NC Cloud、Microsoft SQL Server 2016"),
)  # fmt: skip
HEADER = [
    "资产编码", "设备名称", "设备类型", "厂商", "型号", "计算机名", "处理器", "操作系统",
    "已安装软件", "使用部门", "所属单位", "采购金额(元)",
]  # fmt: skip


def _register(rng: random.Random) -> tuple[str, dict[str, list[str]]]:
    """The asset register (UTF-8 CSV) and the PC asset ids per unit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    pcs: dict[str, list[str]] = {OFFICE: [], BUREAU: [], FINANCE: []}
    for asset, host, (maker, model), cpu, (os_name, os_version), software in SERVERS:
        unit = FINANCE if host.startswith("fin") else BUREAU
        writer.writerow(
            [asset, "服务器", "服务器", maker, model, host, cpu, f"{os_name} {os_version}",
             software, "信息中心", unit, 68000]
        )  # fmt: skip
    counts = {OFFICE: 140, BUREAU: 50, FINANCE: 30}
    number = 0
    for unit, count in counts.items():
        for _ in range(count):
            number += 1
            # about a fifth of the PCs were already replaced in earlier Xinchuang batches
            index = rng.choices(range(len(PC_MODELS)), weights=(45, 35, 12, 8))[0]
            maker, model, cpu, os_name, os_version = PC_MODELS[index]
            software = PC_SOFTWARE[index]
            asset = f"PC-{number:04d}"
            department = rng.choice(("综合处", "秘书处", "督查室", "信息处", "行政处"))
            writer.writerow(
                [asset, "办公电脑", "台式机", maker, model, f"pc-{number:04d}", cpu,
                 f"{os_name} {os_version}", software, department, unit, 5200]
            )  # fmt: skip
            pcs[unit].append(asset)
    return out.getvalue(), pcs


def _systems(pcs: dict[str, list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["系统名称", "所属单位", "行业", "重要程度", "主机", "软件", "依赖系统"])
    rows = [
        ("协同办公系统", BUREAU, "政府", "高", "SRV-01;SRV-02", "", "统一身份认证"),
        ("政府门户网站", BUREAU, "政府", "中", "SRV-03;SRV-04", "", ""),
        ("公文交换系统", BUREAU, "政府", "高", "SRV-05", "", "统一身份认证"),
        ("统一身份认证", BUREAU, "政府", "高", "SRV-06", "", ""),
        ("政务服务平台", BUREAU, "政府", "高", "SRV-07", "", "统一身份认证;电子证照库"),
        ("电子邮件系统", BUREAU, "政府", "中", "SRV-08", "", ""),
        ("财政一体化系统", FINANCE, "财政", "高", "SRV-09", "", "统一身份认证"),
        ("市政府办公终端", OFFICE, "政府", "中", ";".join(pcs[OFFICE]), "", "协同办公系统"),
        ("大数据局办公终端", BUREAU, "政府", "中", ";".join(pcs[BUREAU]), "", "协同办公系统"),
        ("财政局办公终端", FINANCE, "财政", "中", ";".join(pcs[FINANCE]), "", "财政一体化系统"),
    ]
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


PLAN = """\
# The city government's migration settings (a tier-2 body: party and government organs).
# xinchuang plan -w WORKSPACE --settings examples/sample-city/plan.yaml
start: 2027-01
period: quarter
horizon: 8
strategy: pilot-then-bulk
time_limit: 20
seed: 0
max_staff_per_system: 4

parallel_running:
  months: 2
  days_per_month: 1

teams:
  - id: information-centre      # 信息中心 of the big-data bureau, with an integrator
    capacity: 150
    units: [市大数据局, 市政府办公室]
  # 市财政局 has no team on purpose: the planner warns (PLN402)

keep_vendor: [server]           # keep the server vendors, change the line

pilots: [统一身份认证]

systems:
  电子邮件系统:
    priority: 8
"""

README = """\
# 江城市人民政府 (Jiangcheng City Government) — a fictional sample organization

Generated by `scripts/gen_city.py` (seed {seed}); do not edit by hand, regenerate. Every name
and number is invented. A tier-2 body (government), PCs and office heavy: three units, {servers}
servers, {pcs} office PCs (most on Windows with Microsoft Office, some already on Kylin/UOS), ten
business systems. 市财政局 writes its sector as `财政`, which the default policy does not know:
the planner warns and puts it in tier N unless you add the alias.

```sh
xinchuang init city-ws
xinchuang import -w city-ws examples/sample-city/registers examples/sample-city/systems.csv
xinchuang plan -w city-ws --settings examples/sample-city/plan.yaml
```
"""


def generate(output: Path) -> None:
    """Write the sample city into ``output``."""
    rng = random.Random(SEED)
    register, pcs = _register(rng)
    (output / "registers").mkdir(parents=True, exist_ok=True)
    (output / "registers" / "市政府信息设备台账.csv").write_text(register, encoding="utf-8")
    (output / "systems.csv").write_text(_systems(pcs), encoding="utf-8")
    (output / "plan.yaml").write_text(PLAN, encoding="utf-8")
    count = sum(len(v) for v in pcs.values())
    (output / "README.md").write_text(
        README.format(seed=SEED, servers=len(SERVERS), pcs=count), encoding="utf-8"
    )


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    generate(parser.parse_args().output)


if __name__ == "__main__":
    main()
