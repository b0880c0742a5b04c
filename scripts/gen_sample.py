"""Generate the sample organization: 江城市商业银行 (Jiangcheng City Commercial Bank), fictional.

    python scripts/gen_sample.py [--output examples/sample-bank]

Deterministic: one seeded random generator, fixed dates, no set iteration, so
two runs write byte-identical files (a test checks it). The bank has three
units (总行 and two branches), and its inventory is spread over the sources a
real bank would hand over, each with the messiness of real exports:

- ``registers/总行信息科技资产台账.xlsx``: the HQ CMDB export — a title row
  merged across, a notes sheet, servers and VMs on one sheet, office PCs on
  another, departments merged down;
- ``registers/东湖支行资产清单.csv``: GBK, Chinese headers, a title row, the
  installed software of Windows PCs in one cell, values in 万元, a totals row;
- ``registers/西湖支行_CMDB导出.csv``: UTF-8 with BOM, English headers;
- ``registers/软件正版化台账.csv``: the software-licence register;
- ``virtualization/RVTools_export_all.xlsx``: the VMware estate;
- ``scans/*.json``: host scans (the POSIX collector's format) of Linux
  servers, VMs and terminals, and ``scans/windows-scan-*.json`` in the
  PowerShell collector's format (``xinchuang-windows-scan`` v1) for HQ PCs;
- ``sbom/``: CycloneDX 1.5 JSON, CycloneDX 1.4 XML and SPDX 2.3 JSON of three
  in-house applications;
- ``systems.csv``: the business systems, their hosts and dependencies.

Vendor names are spelled several ways (华为/HUAWEI/Huawei Technologies/
华为技术有限公司/HW), versions sit inside names, some cells are blank and a few
names are misspelled, as in real registers.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter

SEED = 20261128
BANK = "江城市商业银行"
BANK_EN = "Jiangcheng City Commercial Bank"
DOMAIN = "jcbank.local"
HQ, EAST, WEST = "总行", "东湖支行", "西湖支行"
EXPORTED = datetime(2026, 11, 20, 9, 30, 0)
COLLECTED = datetime(2026, 11, 25, 2, 0, 0)
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "sample-bank"


# ---------------------------------------------------------------- vocabulary


def _lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a table written as a string, stripped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _versions(text: str) -> dict[str, str]:
    """``name=version name=version …`` as a dict, in order."""
    return dict(word.split("=", 1) for word in text.split())


def _licence(line: str) -> tuple[str, str, str, int, int, str, str]:
    name, version, vendor, seats, value, unit, note = (line + "|").split("|")[:7]
    return name, version, vendor, int(seats), int(value), unit, note


def _system(line: str) -> tuple[str, str, str, tuple[str, int], str, str]:
    name, unit, criticality, pool, count, software, depends = (line + "|").split("|")[:7]
    return name, unit, criticality, (pool, int(count)), software, depends


VENDOR_SPELLINGS: dict[str, tuple[str, ...]] = {
    "huawei": ("华为", "HUAWEI", "Huawei Technologies", "华为技术有限公司", "HW", "华为 "),
    "inspur": ("浪潮", "Inspur", "浪潮电子信息产业股份有限公司", "INSPUR", "浪潮信息"),
    "sugon": ("中科曙光", "曙光", "Sugon", "SUGON", "曙光信息产业股份有限公司"),
    "lenovo": ("联想", "Lenovo", "LENOVO", "联想(北京)有限公司", "lenovo"),
    "greatwall": ("长城", "中国长城", "Great Wall", "GreatWall", "长城电脑"),
    "dell": ("Dell Inc.", "DELL", "戴尔", "Dell", "戴尔(中国)有限公司"),
    "hp": ("HP", "惠普", "Hewlett-Packard", "HPE", "hp"),
    "tongfang": ("清华同方", "同方", "Tongfang", "TSINGHUA TONGFANG", "同方股份"),
}


@dataclass(frozen=True)
class Cpu:
    name: str  # as lscpu / a register writes it
    arch: str  # uname -m
    vendor_id: str | None
    implementer: str | None = None
    part: str | None = None
    register_names: tuple[str, ...] = ()  # how registers spell it


CPUS: dict[str, Cpu] = {
    "xeon-gold": Cpu(
        "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
        "x86_64",
        "GenuineIntel",
        register_names=("Intel Xeon Gold 6248R", "至强 Gold 6248R", "Xeon 6248R"),
    ),
    "xeon-silver": Cpu(
        "Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz",
        "x86_64",
        "GenuineIntel",
        register_names=("Intel Xeon Silver 4214R", "Xeon Silver 4214"),
    ),
    "xeon-e5": Cpu(
        "Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz",
        "x86_64",
        "GenuineIntel",
        register_names=("Intel Xeon E5-2650 v4", "E5-2650V4"),
    ),
    "core-i5": Cpu(
        "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz",
        "x86_64",
        "GenuineIntel",
        register_names=("Intel Core i5-8500", "酷睿i5-8500", "i5 8500", "I5-8500"),
    ),
    "core-i7": Cpu(
        "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz",
        "x86_64",
        "GenuineIntel",
        register_names=("Intel Core i7-10700", "酷睿 i7-10700"),
    ),
    "hygon-7285": Cpu(
        "Hygon C86 7285 32-core Processor",
        "x86_64",
        "HygonGenuine",
        register_names=("海光 7285", "Hygon C86 7285", "海光C86-7285"),
    ),
    "hygon-3250": Cpu(
        "Hygon C86 3250 8-core Processor",
        "x86_64",
        "HygonGenuine",
        register_names=("海光 3250", "Hygon 3250", "海光C86 3250"),
    ),
    "kunpeng-920": Cpu(
        "Kunpeng-920",
        "aarch64",
        None,
        "0x48",
        "0xd01",
        register_names=("鲲鹏920", "Kunpeng 920", "鲲鹏 920-4826", "HUAWEI Kunpeng 920"),
    ),
    "phytium-2000-4": Cpu(
        "Phytium,FT-2000/4",
        "aarch64",
        None,
        "0x70",
        "0x663",
        register_names=("飞腾FT-2000/4", "飞腾 FT2000/4", "Phytium FT-2000/4"),
    ),
    "phytium-d2000": Cpu(
        "Phytium,D2000/8",
        "aarch64",
        None,
        "0x70",
        "0x663",
        register_names=("飞腾D2000", "Phytium D2000", "飞腾 D2000/8"),
    ),
    "loongson-3a5000": Cpu(
        "Loongson-3A5000-HV",
        "loongarch64",
        None,
        register_names=("龙芯3A5000", "Loongson 3A5000", "龙芯 3A5000-HV"),
    ),
    "loongson-3a6000": Cpu(
        "Loongson-3A6000", "loongarch64", None, register_names=("龙芯3A6000", "Loongson-3A6000")
    ),
}


@dataclass(frozen=True)
class Os:
    key: str
    family: str  # rpm | deb | windows
    release: dict[str, str]  # os-release fields (Linux)
    register_names: tuple[str, ...]
    rpm_tag: str = ""  # release suffix of its packages


OSES: dict[str, Os] = {
    "centos7": Os(
        "centos7",
        "rpm",
        {
            "ID": "centos",
            "NAME": "CentOS Linux",
            "VERSION_ID": "7",
            "PRETTY_NAME": "CentOS Linux 7 (Core)",
        },
        ("CentOS 7.6", "CentOS Linux 7.9", "centos7", "CentOS 7"),
        "el7",
    ),
    "rhel7": Os(
        "rhel7",
        "rpm",
        {
            "ID": "rhel",
            "NAME": "Red Hat Enterprise Linux Server",
            "VERSION_ID": "7.9",
            "PRETTY_NAME": "Red Hat Enterprise Linux Server 7.9 (Maipo)",
        },
        ("RHEL 7.9", "Red Hat Enterprise Linux 7", "Redhat 7.9"),
        "el7",
    ),
    "kylin-server": Os(
        "kylin-server",
        "rpm",
        {
            "ID": "kylin",
            "NAME": "Kylin Linux Advanced Server",
            "VERSION_ID": "V10",
            "PRETTY_NAME": "Kylin Linux Advanced Server V10 (Sword)",
        },
        (
            "银河麒麟高级服务器操作系统V10 SP3",
            "Kylin V10 SP2",
            "麒麟V10服务器版",
            "银河麒麟 V10",
            "Kyiln V10",
        ),
        "ky10",
    ),
    "uos-server": Os(
        "uos-server",
        "rpm",
        {
            "ID": "uos",
            "NAME": "UnionTech OS Server 20",
            "VERSION_ID": "20",
            "PRETTY_NAME": "UnionTech OS Server 20",
        },
        ("统信UOS服务器版 20", "UOS Server 20", "统信服务器操作系统V20"),
        "uel20",
    ),
    "openeuler": Os(
        "openeuler",
        "rpm",
        {
            "ID": "openEuler",
            "NAME": "openEuler",
            "VERSION_ID": "22.03",
            "PRETTY_NAME": "openEuler 22.03 (LTS-SP1)",
        },
        ("openEuler 22.03 LTS", "欧拉 22.03"),
        "oe2203sp1",
    ),
    "kylin-desktop": Os(
        "kylin-desktop",
        "deb",
        {"ID": "kylin", "NAME": "Kylin", "VERSION_ID": "v10", "PRETTY_NAME": "Kylin V10 SP1"},
        ("银河麒麟桌面操作系统V10", "麒麟V10桌面版", "Kylin V10 SP1", "银河麒麟桌面版"),
    ),
    "uos-desktop": Os(
        "uos-desktop",
        "deb",
        {
            "ID": "uos",
            "NAME": "UnionTech OS Desktop",
            "VERSION_ID": "20",
            "PRETTY_NAME": "UnionTech OS Desktop 20 Pro",
        },
        ("统信UOS桌面版 20", "UOS 20 专业版", "统信桌面操作系统V20", "UOS"),
    ),
    "win7": Os(
        "win7", "windows", {}, ("Windows 7 旗舰版", "Win7", "Windows 7 专业版", "Windwos 7")
    ),
    "win10": Os(
        "win10",
        "windows",
        {},
        ("Windows 10 专业版", "Win10", "Windows 10 Pro", "Microsoft Windows 10 企业版"),
    ),
    "win2008": Os("win2008", "windows", {}, ("Windows Server 2008 R2", "Win2008R2")),
    "win2012": Os("win2012", "windows", {}, ("Windows Server 2012 R2", "Win Server 2012")),
    "win2016": Os("win2016", "windows", {}, ("Windows Server 2016 标准版", "Windows Server 2016")),
}

VMWARE_GUEST = {
    "centos7": "CentOS 7 (64-bit)",
    "rhel7": "Red Hat Enterprise Linux 7 (64-bit)",
    "kylin-server": "Other 4.x or later Linux (64-bit)",
    "uos-server": "Other 4.x or later Linux (64-bit)",
    "win2008": "Microsoft Windows Server 2008 R2 (64-bit)",
    "win2012": "Microsoft Windows Server 2012 (64-bit)",
    "win2016": "Microsoft Windows Server 2016 or later (64-bit)",
}

WINDOWS_SOFTWARE = _lines(
    """
    Microsoft Office 专业增强版 2016
    Microsoft Office Professional Plus 2010
    WPS Office 2019
    WPS Office 2023 专业版
    360安全卫士
    奇安信天擎终端安全管理系统
    Google Chrome
    Internet Explorer 11
    Adobe Acrobat Reader DC
    Foxit Reader
    福昕阅读器
    数科OFD阅读器
    Symantec Endpoint Protection
    江城银行柜面系统客户端 V3.2
    网点排队叫号客户端
    CFCA 安全控件
    中金金融认证中心U盾驱动
    搜狗输入法
    微信
    企业微信
    Foxmail
    WinRAR 5.70
    7-Zip 19.00
    Java 8 Update 281
    Oracle Client 11g
    Orcale Client 11g
    PL/SQL Developer 12
    XShell 6
    腾讯会议
    钉钉
    向日葵远程控制
    Mozilla Firefox 78 ESR
    Microsoft Edge
    永中Office 2019
    TeamViewer 15
    """
)
LINUX_DESKTOP_SOFTWARE = (
    "WPS Office 2019 for Linux",
    "奇安信可信浏览器",
    "数科OFD阅读器",
    "江城银行柜面系统客户端 V3.2 (Linux)",
    "火绒安全",
    "永中Office",
)


# ---------------------------------------------------------------- packages

RPM_BASE: dict[str, str] = _versions(
    "acl=2.2.51-15 attr=2.4.46-13 audit=2.8.5-4 audit-libs=2.8.5-4 basesystem=10.0-7 "
    "bash=4.2.46-34 "
    "bind-libs=9.11.4-26 bind-utils=9.11.4-26 binutils=2.27-44 bzip2-libs=1.0.6-13 "
    "ca-certificates=2022.2.54-74 chkconfig=1.7.6-1 chrony=3.4-1 coreutils=8.22-24 cpio=2.11-28 "
    "cracklib=2.9.0-11 cronie=1.4.11-24 curl=7.29.0-59 cyrus-sasl-lib=2.1.26-24 dbus=1.10.24-15 "
    "dbus-libs=1.10.24-15 device-mapper=1.02.170-6 diffutils=3.3-5 dmidecode=3.2-5 dracut=033-572 "
    "e2fsprogs=1.42.9-19 elfutils-libelf=0.176-5 expat=2.1.0-15 file=5.11-37 filesystem=3.2-25 "
    "findutils=4.5.11-6 firewalld=0.6.3-13 gawk=4.0.2-4 gdbm=1.10-8 glib2=2.56.1-9 glibc=2.17-326 "
    "glibc-common=2.17-326 gmp=6.0.0-15 gnupg2=2.0.22-5 gpgme=1.3.2-5 grep=2.20-3 "
    "grub2=2.02-0.87 gzip=1.5-11 "
    "hostname=3.13-3 hwdata=0.252-9 info=5.1-5 initscripts=9.49.53-1 iproute=4.11.0-30 "
    "iptables=1.4.21-35 "
    "iputils=20160308-10 json-c=0.11-4 kbd=1.15.5-16 kernel=3.10.0-1160.95.1 "
    "kernel-tools=3.10.0-1160.95.1 "
    "keyutils-libs=1.5.8-3 kmod=20-28 krb5-libs=1.15.1-55 less=458-9 libacl=2.2.51-15 "
    "libattr=2.4.46-13 "
    "libblkid=2.23.2-65 libcap=2.22-11 libcom_err=1.42.9-19 libcurl=7.29.0-59 libdb=5.3.21-25 "
    "libffi=3.0.13-19 "
    "libgcc=4.8.5-44 libgcrypt=1.5.3-14 libgpg-error=1.12-3 libidn=1.28-4 libmount=2.23.2-65 "
    "libnl3=3.2.28-4 "
    "libpwquality=1.2.3-5 libselinux=2.5-15 libsemanage=2.5-14 libsepol=2.5-10 libssh2=1.8.0-4 "
    "libstdc++=4.8.5-44 libtasn1=4.10-1 libuuid=2.23.2-65 libxml2=2.9.1-6 libyaml=0.1.4-11 "
    "logrotate=3.8.6-19 "
    "lsof=4.87-6 lua=5.1.4-15 lvm2=2.02.187-6 lz4=1.8.3-1 make=3.82-24 ncurses=5.9-14 "
    "ncurses-libs=5.9-14 "
    "net-tools=2.0-0.25 nspr=4.34.0-3 nss=3.79.0-5 nss-util=3.79.0-1 openldap=2.4.44-25 "
    "openssh=7.4p1-23 "
    "openssh-clients=7.4p1-23 openssh-server=7.4p1-23 openssl=1.0.2k-26 openssl-libs=1.0.2k-26 "
    "p11-kit=0.23.5-3 pam=1.1.8-23 passwd=0.79-6 pcre=8.32-17 perl=5.16.3-299 "
    "policycoreutils=2.5-34 "
    "popt=1.13-16 procps-ng=3.3.10-28 python=2.7.5-93 python-libs=2.7.5-93 readline=6.2-11 "
    "rpm=4.11.3-48 "
    "rpm-libs=4.11.3-48 rsync=3.1.2-12 rsyslog=8.24.0-57 sed=4.2.2-7 selinux-policy=3.13.1-268 "
    "setup=2.8.71-11 "
    "shadow-utils=4.6-5 sqlite=3.7.17-8 sudo=1.8.23-10 systemd=219-78 systemd-libs=219-78 "
    "sysstat=10.1.5-20 "
    "tar=1.26-35 tcpdump=4.9.2-4 telnet=0.17-66 tzdata=2023c-1 unzip=6.0-24 util-linux=2.23.2-65 "
    "vim-minimal=7.4.629-8 wget=1.14-18 which=2.20-7 xz=5.2.2-2 xz-libs=5.2.2-2 yum=3.4.3-168 "
    "zlib=1.2.7-21 "
)
RPM_ROLE: dict[str, dict[str, str]] = {
    "db-oracle": _versions(
        "oracle-database-preinstall-19c=1.0-3 compat-libstdc++-33=3.2.3-72 libaio=0.3.109-13 "
        "ksh=20120801-144 smartmontools=7.0-2 "
    ),
    "db-mysql": _versions(
        "mysql-community-server=5.7.42-1 mysql-community-client=5.7.42-1 "
        "mysql-community-libs=5.7.42-1 mysql-community-common=5.7.42-1 "
    ),
    "db-dm": _versions("libaio=0.3.109-13 unixODBC=2.3.1-14 "),
    "web": _versions("nginx=1.20.1-10 nginx-filesystem=1.20.1-10 keepalived=1.3.5-19 "),
    "app-tomcat": _versions(
        "tomcat=7.0.76-16 tomcat-lib=7.0.76-16 java-1.8.0-openjdk=1.8.0.382.b05-1 "
        "java-1.8.0-openjdk-headless=1.8.0.382.b05-1 "
    ),
    "app-weblogic": _versions("java-1.8.0-openjdk-headless=1.8.0.382.b05-1 compat-libcap1=1.10-7 "),
    "app-tongweb": _versions(
        "java-1.8.0-openjdk=1.8.0.382.b05-1 java-1.8.0-openjdk-headless=1.8.0.382.b05-1 "
    ),
    "cache": _versions("redis=3.2.12-2 "),
    "mq": _versions("rabbitmq-server=3.3.5-34 erlang-erts=R16B-03.18 "),
    "monitor": _versions("zabbix-agent=5.0.38-1 zabbix-sender=5.0.38-1 "),
}
RPM_LONG_TAIL = (
    "jcbank-monitor-agent",
    "jcbank-log-shipper",
    "jcbank-batch-scripts",
    "sangfor-edr-agent",
    "qax-tianqing-agent",
    "filebeat",
    "node_exporter",
    "cfca-sadk",
    "hsm-client-sjj1962",
    "tsm-ba-client",
    "nbu-client",
    "ops-toolkit",
    "sm-crypto-lib",
    "bank-esb-adapter",
)
DEB_BASE: dict[str, str] = _versions(
    "adduser=3.118 apt=1.6.12 base-files=10.3 base-passwd=3.5.47 bash=5.0-6 bsdutils=2.34-0.1 "
    "ca-certificates=20210119 coreutils=8.30-3 cups=2.3.1-9 curl=7.68.0-1 dash=0.5.10.2-6 "
    "dbus=1.12.16-2 "
    "debconf=1.5.73 dpkg=1.19.7 e2fsprogs=1.45.5-2 fcitx=4.2.9.7-3 findutils=4.7.0-1 "
    "fonts-noto-cjk=20190410+repack1-2 gcc-9-base=9.3.0-17 grep=3.4-1 gzip=1.10-0 hostname=3.23 "
    "init-system-helpers=1.57 iproute2=5.5.0-1 libc-bin=2.31-0 libc6=2.31-0 libgcc-s1=10.2.0-5 "
    "libglib2.0-0=2.64.6-1 libgtk-3-0=3.24.20-0 libqt5core5a=5.12.8+dfsg-0 "
    "libqt5gui5=5.12.8+dfsg-0 "
    "libssl1.1=1.1.1f-1 libstdc++6=10.2.0-5 libsystemd0=245.4-4 login=4.8.1-1 lsb-base=11.1.0 "
    "mount=2.34-0.1 "
    "ncurses-base=6.2-0 network-manager=1.22.10-1 openssh-client=8.2p1-4 openssl=1.1.1f-1 "
    "passwd=4.8.1-1 "
    "perl-base=5.30.0-9 procps=3.3.16-1 pulseaudio=13.99.1-1 python3=3.8.2-0 "
    "python3-minimal=3.8.2-0 sed=4.7-1 "
    "sudo=1.8.31-1 systemd=245.4-4 tar=1.30+dfsg-7 tzdata=2023c-0 util-linux=2.34-0.1 "
    "xserver-xorg-core=1.20.8-2 xz-utils=5.2.4-1 zlib1g=1.2.11.dfsg-2 "
)
DEB_DESKTOP: dict[str, dict[str, str]] = {
    "kylin-desktop": _versions(
        "ukui-panel=3.0.2.4-0k1 ukui-menu=3.0.2.3-0k1 ukui-control-center=3.0.4.1-0k5 "
        "peony=3.0.4.2-0k2 kylin-software-center=5.0.1.9-0k1 kylin-screenshot=1.0.0-0k2 "
        "kylin-burner=3.0.5.0-0k1 ukui-session-manager=3.0.2-0k1 "
    ),
    "uos-desktop": _versions(
        "dde-desktop=5.5.17-1 dde-dock=5.5.9-1 dde-control-center=5.5.40-1 "
        "dde-file-manager=5.5.28-1 deepin-terminal=5.4.14-1 deepin-app-store=6.2.10-1 "
        "uos-browser-stable=5.5.20-1 deepin-screenshot=5.0.0-1 "
    ),
}
DEB_APPS: dict[str, str] = _versions(
    "wps-office=11.1.0.11719 firefox=102.15.0esr-1 qaxbrowser-safe-stable=10.1.2207.1-1 "
    "ofdreader=3.0.21.0915-1 jcbank-teller-client=3.2.7-1 jcbank-queue-client=1.4.2 "
    "cfca-ukey-driver=2.6.1 "
    "sogoupinyin=4.2.1.145 wechat-beta=1.0.0.238 huorong-esm=2.0.22.3 linuxqq=3.2.3-20201 "
    "com.qq.weixin.work.deepin=4.0.0.6007 cups-filters=1.27.4-1 printer-driver-pantum=1.1.106-1 "
    "epson-inkjet-printer=1.0.1-1 chromium=102.0.5005.61-1 "
)


# ---------------------------------------------------------------- the estate


@dataclass
class Machine:
    asset_no: str | None
    name: str  # 设备名称 as the register says
    category: str  # 服务器 | 虚拟机 | 台式机 | 笔记本 | 柜员终端
    unit: str
    department: str
    vendor: str | None = None  # canonical key of VENDOR_SPELLINGS
    model: str | None = None
    serial: str | None = None
    hostname: str | None = None
    ip: str | None = None
    cpu: str | None = None  # key of CPUS
    os: str | None = None  # key of OSES
    value: int | None = None  # yuan
    bought: date | None = None
    roles: list[str] = field(default_factory=list)
    software: list[str] = field(default_factory=list)  # Windows programs, register spelling
    smbios_uuid: str | None = None  # VMs
    esx_host: str | None = None  # VMs
    scanned: bool = False


class Estate:
    """The bank's machines and systems, drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.machines: list[Machine] = []
        self.esx_hosts: list[Machine] = []
        self._serials = 0

    def pick(self, items: Sequence[str]) -> str:
        return items[self.rng.randrange(len(items))]

    def spelled(self, vendor: str) -> str:
        return self.pick(VENDOR_SPELLINGS[vendor])

    def serial(self, vendor: str) -> str:
        self._serials += 1
        rng = self.rng
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
        tail = "".join(letters[rng.randrange(len(letters))] for _ in range(7))
        prefix = {
            "huawei": "2102",
            "inspur": "NF",
            "sugon": "SG",
            "lenovo": "PC",
            "dell": "",
            "greatwall": "GW",
            "hp": "CN",
            "tongfang": "TF",
        }[vendor]
        return f"{prefix}{self._serials:04d}{tail}"

    def day(self, first: int, last: int) -> date:
        start = date(first, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last, 12, 31) - start).days))

    def uuid(self, prefix: str = "") -> str:
        raw = prefix + "".join(f"{self.rng.randrange(16):x}" for _ in range(32 - len(prefix)))
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"

    # -- HQ data centre -----------------------------------------------------------

    def build(self) -> None:
        self._esx_hosts()
        self._physical_servers()
        self._vms()
        self._terminals(HQ, "JC-PC", 380, domestic_share=0.35)
        self._terminals(EAST, "DH", 240, domestic_share=0.45)
        self._terminals(WEST, "XH", 230, domestic_share=0.25)

    def _esx_hosts(self) -> None:
        for index in range(1, 13):
            vendor, model = ("dell", "PowerEdge R740") if index <= 8 else ("sugon", "I620-G30")
            cpu = "xeon-gold" if index <= 8 else "hygon-7285"
            host = Machine(
                asset_no=f"JC-2019-{index:04d}",
                name=f"虚拟化主机{index:02d}",
                category="服务器",
                unit=HQ,
                department="数据中心",
                vendor=vendor,
                model=model,
                serial=self.serial(vendor),
                hostname=f"esx{index:02d}.{DOMAIN}",
                ip=f"10.10.1.{10 + index}",
                cpu=cpu,
                os=None,
                value=168000 if index <= 8 else 132000,
                bought=self.day(2018, 2021),
                roles=["esxi"],
            )
            self.machines.append(host)
            self.esx_hosts.append(host)

    def _physical_servers(self) -> None:
        plans = [  # (count, vendor, model, cpu, os, roles, name)
            (
                6,
                "huawei",
                "TaiShan 200 2280",
                "kunpeng-920",
                "kylin-server",
                ["db-dm"],
                "核心数据库服务器",
            ),
            (
                4,
                "huawei",
                "TaiShan 200 2280",
                "kunpeng-920",
                "kylin-server",
                ["app-tongweb"],
                "信创应用服务器",
            ),
            (6, "inspur", "NF5280M5", "xeon-gold", "rhel7", ["db-oracle"], "Oracle数据库服务器"),
            (5, "sugon", "I620-G30", "hygon-7285", "uos-server", ["app-tongweb"], "应用服务器"),
            (4, "inspur", "NF5270M6", "hygon-7285", "kylin-server", ["db-dm"], "数据库服务器"),
            (6, "hp", "ProLiant DL380 Gen9", "xeon-e5", "centos7", ["app-tomcat"], "前置机"),
            (3, "dell", "PowerEdge R730", "xeon-e5", "win2008", [], "备份服务器"),
            (4, "huawei", "TaiShan 2280 V2", "kunpeng-920", "openeuler", ["cache"], "缓存服务器"),
            (4, "inspur", "NF5280M5", "xeon-silver", "centos7", ["db-mysql"], "MySQL服务器"),
            (3, "sugon", "W330-H35", "hygon-3250", "uos-server", ["web"], "Web服务器"),
            (3, "huawei", "RH2288H V3", "xeon-e5", "win2012", [], "域控服务器"),
            (
                2,
                "lenovo",
                "ThinkSystem SR650",
                "xeon-silver",
                "centos7",
                ["mq"],
                "消息中间件服务器",
            ),
        ]
        number = 100
        for count, vendor, model, cpu, os_key, roles, name in plans:
            for _ in range(count):
                number += 1
                linux = OSES[os_key].family != "windows"
                machine = Machine(
                    asset_no=f"JC-20{self.rng.randrange(17, 25)}-{number:04d}",
                    name=name,
                    category="服务器",
                    unit=HQ,
                    department=self.pick(("信息科技部", "数据中心", "数据中心", "运维中心")),
                    vendor=vendor,
                    model=model,
                    serial=self.serial(vendor),
                    hostname=f"jc-{roles[0].split('-')[-1] if roles else 'srv'}-{number:03d}",
                    ip=f"10.10.2.{number - 90}",
                    cpu=cpu,
                    os=os_key,
                    value=self.rng.randrange(60, 420) * 1000,
                    bought=self.day(2016, 2024),
                    roles=[*roles, "monitor"] if linux else roles,
                    scanned=linux and self.rng.random() < 0.9,
                )
                self.machines.append(machine)

    def _vms(self) -> None:
        plans = [  # (count, os, roles, prefix)
            (40, "centos7", ["app-tomcat", "monitor"], "app"),
            (18, "centos7", ["app-weblogic", "monitor"], "wls"),
            (14, "rhel7", ["db-oracle", "monitor"], "ora"),
            (22, "kylin-server", ["app-tongweb", "monitor"], "xc"),
            (12, "uos-server", ["web", "monitor"], "web"),
            (10, "centos7", ["cache", "monitor"], "redis"),
            (8, "centos7", ["mq", "monitor"], "mq"),
            (16, "win2012", [], "win"),
            (12, "win2016", [], "win"),
            (8, "win2008", [], "win"),
            (10, "centos7", ["db-mysql", "monitor"], "mysql"),
        ]
        number = 0
        for count, os_key, roles, prefix in plans:
            for _ in range(count):
                number += 1
                host = self.esx_hosts[number % len(self.esx_hosts)]
                linux = OSES[os_key].family != "windows"
                machine = Machine(
                    asset_no=f"VM-{number:04d}",
                    name=f"{prefix.upper()}-{number:03d}虚拟机",
                    category="虚拟机",
                    unit=HQ,
                    department=self.pick(("信息科技部", "数据中心")),
                    hostname=f"jc-{prefix}-{number:03d}",
                    ip=f"10.20.{number // 200}.{number % 200 + 20}",
                    cpu=host.cpu,
                    os=os_key,
                    roles=roles,
                    smbios_uuid=self.uuid("42"),
                    esx_host=host.hostname,
                    scanned=linux and self.rng.random() < 0.85,
                )
                self.machines.append(machine)

    def _terminals(self, unit: str, prefix: str, count: int, domestic_share: float) -> None:
        departments = {
            HQ: (
                "办公室",
                "信息科技部",
                "财务会计部",
                "风险管理部",
                "公司银行部",
                "零售银行部",
                "人力资源部",
                "审计部",
                "合规部",
                "运营管理部",
            ),
            EAST: ("营业部", "个人金融部", "公司业务部", "综合管理部"),
            WEST: ("营业部", "个人金融部", "公司业务部", "综合管理部"),
        }[unit]
        for index in range(1, count + 1):
            domestic = self.rng.random() < domestic_share
            teller = unit != HQ and self.rng.random() < 0.4
            if domestic:
                vendor, model, cpu = self.pick_domestic_pc()
                os_key = self.pick(("kylin-desktop", "kylin-desktop", "uos-desktop"))
            else:
                vendor = self.pick(("lenovo", "lenovo", "dell", "hp"))
                model = {"lenovo": "启天M428", "dell": "OptiPlex 7070", "hp": "ProDesk 400 G6"}[
                    vendor
                ]
                cpu = self.pick(("core-i5", "core-i5", "core-i7"))
                os_key = self.pick(("win10", "win10", "win10", "win7"))
            category = "柜员终端" if teller else self.pick(("台式机", "台式机", "台式机", "笔记本"))
            machine = Machine(
                asset_no=f"{prefix}-{2015 + index % 10}-{index:04d}",
                name=self.pc_name(category),
                category=category,
                unit=unit,
                department=self.pick(departments),
                vendor=vendor,
                model=model,
                serial=self.serial(vendor),
                hostname=f"{prefix.split('-')[0].lower()}-pc-{index:04d}",
                cpu=cpu,
                os=os_key,
                value=self.rng.randrange(38, 95) * 100,
                bought=self.day(2015, 2025),
                scanned=domestic and self.rng.random() < 0.55,
            )
            if OSES[os_key].family == "windows":
                machine.software = self.windows_programs(teller)
            else:
                machine.software = self.rng.sample(LINUX_DESKTOP_SOFTWARE, 3)
            self.machines.append(machine)

    def pick_domestic_pc(self) -> tuple[str, str, str]:
        return self.rng.choice(
            [
                ("greatwall", "世恒 TF830", "phytium-2000-4"),
                ("greatwall", "UF712", "phytium-d2000"),
                ("huawei", "擎云 W510", "kunpeng-920"),
                ("tongfang", "超翔 TL630", "loongson-3a5000"),
                ("lenovo", "开天 M740Z", "phytium-d2000"),
                ("tongfang", "超越 E500", "loongson-3a6000"),
                ("inspur", "CP300L", "hygon-3250"),
            ]
        )

    def pc_name(self, category: str) -> str:
        if category == "笔记本":
            return self.pick(("笔记本电脑", "便携式计算机", "笔记本"))
        if category == "柜员终端":
            return self.pick(("柜员终端", "柜面终端", "智能柜员机终端"))
        return self.pick(("办公电脑", "台式计算机", "台式机", "办公用计算机", "计算机"))

    def windows_programs(self, teller: bool) -> list[str]:
        base = [
            "Microsoft Office 专业增强版 2016" if self.rng.random() < 0.6 else "WPS Office 2019"
        ]
        base += self.rng.sample(WINDOWS_SOFTWARE, self.rng.randrange(4, 9))
        if teller:
            base.append("江城银行柜面系统客户端 V3.2")
        seen: list[str] = []
        for name in base:
            if name not in seen:
                seen.append(name)
        return seen


# ---------------------------------------------------------------- writers


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def csv_bytes(rows: Iterable[Sequence[object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def _blank(rng: random.Random, value: object, rate: float) -> object:
    return None if rng.random() < rate else value


def write_hq_register(estate: Estate, path: Path) -> None:
    """The HQ CMDB export: notes, servers+VMs, PCs; a merged title, departments merged down."""
    rng = estate.rng
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties(
        {"title": f"{BANK}信息科技资产台账", "author": "资产管理系统", "created": EXPORTED}
    )
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    merged = book.add_format({"valign": "vcenter"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})

    notes = book.add_worksheet("填报说明")
    for row, text in enumerate(
        (
            "本台账由资产管理系统于2026-11-20导出。",
            "金额单位：元；虚拟机无原值。",
            "使用部门合并单元格表示同一部门。",
            "如有疑问请联系信息科技部资产管理岗。",
        )
    ):
        notes.write(row, 0, text)

    headers = [
        "资产编号",
        "设备名称",
        "资产类别",
        "品牌",
        "规格型号",
        "序列号",
        "主机名",
        "IP地址",
        "CPU型号",
        "操作系统",
        "使用部门",
        "存放地点",
        "购置日期",
        "原值（元）",
        "备注",
        "所属机构",
    ]
    servers = [m for m in estate.machines if m.unit == HQ and m.category in {"服务器", "虚拟机"}]
    servers.sort(key=lambda m: (m.department, m.asset_no or ""))
    sheet = book.add_worksheet("服务器及虚拟机")
    sheet.merge_range(0, 0, 0, len(headers) - 1, f"{BANK}服务器及虚拟机资产台账", title)
    sheet.write(1, 0, "导出时间：2026-11-20 09:30")
    sheet.write_row(2, 0, headers, head)
    for offset, m in enumerate(servers):
        row = 3 + offset
        cpu = CPUS[m.cpu] if m.cpu else None
        os_name = estate.pick(OSES[m.os].register_names) if m.os else "VMware ESXi 7.0"
        values: list[object] = [
            m.asset_no,
            m.name,
            m.category,
            estate.spelled(m.vendor) if m.vendor else None,
            m.model,
            _blank(rng, m.serial, 0.05),
            m.hostname,
            m.ip,
            None if m.category == "虚拟机" else (estate.pick(cpu.register_names) if cpu else None),
            os_name,
            None,
            "江城数据中心A区" if m.category == "服务器" else None,
        ]
        sheet.write_row(row, 0, values)
        if m.bought:
            sheet.write_datetime(row, 12, datetime.combine(m.bought, datetime.min.time()), day)
        if m.value is not None:
            sheet.write_number(row, 13, m.value, money)
        if "esxi" in m.roles:
            sheet.write(row, 14, "VMware虚拟化集群")
        sheet.write(row, 15, HQ)
    _merge_departments(sheet, [m.department for m in servers], 3, 10, merged)

    pcs = [m for m in estate.machines if m.unit == HQ and m.category not in {"服务器", "虚拟机"}]
    pcs.sort(key=lambda m: (m.department, m.asset_no or ""))
    sheet = book.add_worksheet("办公终端")
    pc_headers = [
        "资产编号",
        "设备名称",
        "资产类别",
        "品牌",
        "规格型号",
        "序列号",
        "计算机名",
        "CPU型号",
        "操作系统",
        "使用部门",
        "使用人",
        "购置日期",
        "原值（元）",
        "所属机构",
    ]
    sheet.merge_range(0, 0, 0, len(pc_headers) - 1, f"{BANK}总行办公终端台账", title)
    sheet.write_row(1, 0, pc_headers, head)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    for offset, m in enumerate(pcs):
        row = 2 + offset
        cpu = CPUS[m.cpu] if m.cpu else None
        values = [
            m.asset_no,
            m.name,
            m.category,
            estate.spelled(m.vendor) if m.vendor else None,
            _blank(rng, m.model, 0.08),
            _blank(rng, m.serial, 0.1),
            _blank(rng, m.hostname, 0.15),
            _blank(rng, estate.pick(cpu.register_names) if cpu else None, 0.12),
            _blank(rng, estate.pick(OSES[m.os].register_names) if m.os else None, 0.05),
            None,
            surnames[rng.randrange(len(surnames))] + "某",
        ]
        sheet.write_row(row, 0, values)
        if m.bought:
            sheet.write_datetime(row, 11, datetime.combine(m.bought, datetime.min.time()), day)
        if m.value is not None and rng.random() > 0.04:
            sheet.write_number(row, 12, m.value, money)
        sheet.write(row, 13, HQ)
    _merge_departments(sheet, [m.department for m in pcs], 2, 9, merged)
    book.close()
    write_bytes(path, buffer.getvalue())


def _merge_departments(
    sheet: Any, departments: list[str], first_row: int, col: int, fmt: object
) -> None:
    """Write the department column, merging runs of one department (at most 12 rows a merge)."""
    start = 0
    while start < len(departments):
        end = start
        while (
            end + 1 < len(departments)
            and departments[end + 1] == departments[start]
            and end + 1 - start < 12
        ):
            end += 1
        if end > start:
            sheet.merge_range(
                first_row + start,
                col,
                first_row + end,
                col,
                departments[start],
                fmt,
            )
        else:
            sheet.write(first_row + start, col, departments[start])
        start = end + 1


def write_east_register(estate: Estate, path: Path) -> None:
    """The east branch's list: GBK, Chinese headers, a title row, software in one cell, 万元."""
    rng = estate.rng
    headers = [
        "资产编码",
        "设备名称",
        "设备类型",
        "厂商",
        "型号",
        "SN",
        "计算机名",
        "处理器",
        "操作系统",
        "已安装软件",
        "使用部门",
        "所属单位",
        "采购金额(万元)",
    ]
    rows: list[Sequence[object]] = [
        [f"{BANK}{EAST}信息设备清单"] + [""] * (len(headers) - 1),
        headers,
    ]
    total = 0
    for m in (m for m in estate.machines if m.unit == EAST):
        cpu = CPUS[m.cpu] if m.cpu else None
        value = m.value or 0
        total += value
        rows.append(
            [
                m.asset_no,
                m.name,
                m.category,
                estate.spelled(m.vendor) if m.vendor else None,
                m.model,
                _blank(rng, m.serial, 0.07),
                _blank(rng, m.hostname, 0.05),
                _blank(rng, estate.pick(cpu.register_names) if cpu else None, 0.1),
                _blank(rng, estate.pick(OSES[m.os].register_names) if m.os else None, 0.04),
                "、".join(m.software) if rng.random() > 0.1 else None,
                m.department,
                EAST,
                f"{value / 10000:.2f}" if rng.random() > 0.05 else "-",
            ]
        )
    rows.append(["合计"] + [""] * (len(headers) - 2) + [f"{total / 10000:.2f}"])
    write_bytes(path, csv_bytes(rows, "gbk"))


def write_west_register(estate: Estate, path: Path) -> None:
    """The west branch's CMDB export: UTF-8 with BOM, English headers, OS name and version apart."""
    rng = estate.rng
    headers = [
        "Asset Tag",
        "Hostname",
        "Device Type",
        "Manufacturer",
        "Model",
        "Serial Number",
        "CPU",
        "Operating System",
        "OS Version",
        "Department",
        "Unit",
        "Cost (CNY)",
    ]
    rows: list[Sequence[object]] = [headers]
    types = {"台式机": "Desktop", "笔记本": "Laptop", "柜员终端": "Teller Terminal"}
    for m in (m for m in estate.machines if m.unit == WEST):
        cpu = CPUS[m.cpu] if m.cpu else None
        os_name, os_version = (
            _split_os(estate.pick(OSES[m.os].register_names)) if m.os else ("", "")
        )
        rows.append(
            [
                m.asset_no,
                m.hostname,
                types.get(m.category, m.category),
                estate.spelled(m.vendor) if m.vendor else None,
                m.model,
                _blank(rng, m.serial, 0.05),
                _blank(rng, cpu.name if cpu else None, 0.06),
                os_name,
                os_version,
                m.department,
                "西湖支行" if rng.random() > 0.03 else "西湖支行 ",
                m.value,
            ]
        )
    write_bytes(path, b"\xef\xbb\xbf" + csv_bytes(rows, "utf-8"))


def _split_os(text: str) -> tuple[str, str]:
    for marker in (" 20", " 10", " 7", " V10", "V10", " 2012", " 2016", " 2008"):
        at = text.find(marker)
        if at > 0:
            return text[:at].strip(), text[at:].strip()
    return text, ""


LICENCES = [  # name | version | vendor | seats | yuan | unit | note
    _licence(line)
    for line in _lines(
        """
        WPS Office 2019 专业版|11.8.2|北京金山办公软件股份有限公司|600|180000|全行|信创替代
        WPS Office 2023 专业版|12.1.0|金山办公|200|76000|总行|
        Microsoft Office 专业增强版 2016|16.0|Microsoft|420|1050000|全行|存量
        Microsoft Office Professional Plus 2010|14.0|微软|120|240000|东湖支行|存量，待替换
        Windows 10 专业版|22H2|Microsoft Corporation|700|980000|全行|OEM
        Windows Server 2012 R2 Datacenter|6.3|Microsoft|24|480000|总行|
        Windows Server 2016 标准版|1607|Microsoft|12|96000|总行|
        Oracle Database 19c Enterprise Edition|19.3|Oracle|16|3200000|总行|按处理器授权
        Orcale Database 11g|11.2.0.4|Oracle|8|1200000|总行|存量
        Oracle WebLogic Server 12c|12.2.1.4|Oracle|20|900000|总行|
        WebLogic 11g|10.3.6|ORACLE|6|180000|总行|存量
        达梦数据库管理系统 V8|8.1.3|武汉达梦数据库股份有限公司|16|960000|总行|信创
        DM8 达梦数据库|8.4|达梦|6|300000|总行|信创
        人大金仓数据库 KingbaseES V8|V8R6|中电科金仓|8|400000|总行|信创
        TongWeb 应用服务器 V7.0|7.0.4.9|东方通|30|450000|总行|信创
        东方通TongWeb7|7.0.4.2|北京东方通科技股份有限公司|10|150000|总行|
        TongLINK/Q 消息中间件 V8|8.1|东方通|6|120000|总行|
        宝兰德应用服务器 BES 9.5|9.5.2|宝兰德|8|128000|总行|
        IBM WebSphere MQ 8.0|8.0|IBM|4|360000|总行|存量
        VMware vSphere 7 Enterprise Plus|7.0|VMware|24|720000|总行|按CPU
        Red Hat Enterprise Linux Server|7.9|Red Hat|20|200000|总行|订阅
        银河麒麟高级服务器操作系统 V10|SP3|麒麟软件|40|320000|总行|信创
        银河麒麟桌面操作系统 V10|SP1|麒麟软件有限公司|300|240000|全行|信创
        统信UOS桌面版 20 专业版|1060|统信软件|200|160000|全行|信创
        统信UOS服务器版 20|1050e|统信软件技术有限公司|20|160000|总行|信创
        奇安信天擎终端安全管理系统 V10|10.0|奇安信|1000|300000|全行|
        360安全卫士 企业版||三六零|400|0|东湖支行|免费版
        Symantec Endpoint Protection 14|14.3|Broadcom|300|150000|西湖支行|存量
        Adobe Acrobat Pro DC|2020|Adobe|30|90000|总行|
        福昕PDF编辑器 专业版|12.1|福昕软件|80|64000|全行|
        数科OFD版式软件|3.0|数科网维|500|100000|全行|信创
        永中Office 2019|9.0|永中软件|50|20000|西湖支行|试点
        用友NC Cloud 财务系统|2105|用友网络|1|850000|总行|
        金蝶K/3 Cloud|8.0|金蝶|1|300000|西湖支行|
        SAP ERP 6.0 EHP8|6.0|SAP|1|2600000|总行|存量
        Coremail 邮件系统 XT5|5.0|盈世信息|1|280000|总行|信创
        Microsoft Exchange Server 2013|15.0|Microsoft|1|200000|总行|已停用?
        PL/SQL Developer|12.0.7|Allround Automations|25|50000|总行|
        Navicat Premium 15|15.0|PremiumSoft|10|30000|总行|
        XShell 6 商业版|6.0|NetSarang|40|40000|总行|
        CFCA 数字证书服务||中国金融认证中心|1|60000|全行|
        江城银行影像平台|2.3|某影像软件公司|1|450000|总行|定制开发
        信贷管理系统 V5|5.2|长亮科技|1|1800000|总行|
        核心业务系统 V3|3.2|神州信息|1|12000000|总行|核心
        反洗钱监测系统|4.1|某金融科技公司|1|600000|总行|
        EAST 监管数据报送平台|5.0|某监管科技公司|1|400000|总行|
        网点排队叫号系统|1.4|某智能设备公司|2|60000|东湖支行|
        Tableau Desktop|2021.4|Tableau|5|60000|总行|
        帆软FineReport 报表|11.0|帆软|1|150000|总行|信创
        TeamViewer 商业版|15|TeamViewer|5|30000|总行|待清理
        向日葵远程控制 企业版|13|贝锐科技|20|8000|全行|
        Veritas NetBackup 8.2|8.2|Veritas|1|500000|总行|
        爱数AnyBackup|7.0|爱数|1|300000|总行|信创
        Zabbix|5.0 LTS|Zabbix SIA|1|0|总行|开源
        Nginx|1.20|F5|1|0|总行|开源
        Apache Tomcat 7|7.0.76|Apache|1|0|总行|开源
        Redis|3.2|Redis Ltd.|1|0|总行|开源
        MySQL 社区版 5.7|5.7.42|Oracle|1|0|总行|开源
        """
    )
]


def write_licences(path: Path) -> None:
    rows: list[Sequence[object]] = [
        ["序号", "软件名称", "版本", "软件厂商", "授权数", "金额(元)", "使用单位", "备注"]
    ]
    for index, (name, version, vendor, seats, value, unit, note) in enumerate(LICENCES, start=1):
        rows.append(
            [index, name, version, vendor, seats, f"{value:.2f}" if value else "", unit, note]
        )
    write_bytes(path, csv_bytes(rows, "utf-8"))


VINFO = [
    "VM",
    "Powerstate",
    "Template",
    "SRM Placeholder",
    "Config status",
    "DNS Name",
    "Connection state",
    "Guest state",
    "Heartbeat",
    "PowerOn",
    "CPUs",
    "Memory",
    "NICs",
    "Disks",
    "Primary IP Address",
    "Network #1",
    "Resource pool",
    "Folder",
    "Annotation",
    "Datacenter",
    "Cluster",
    "Host",
    "OS according to the configuration file",
    "OS according to the VMware Tools",
    "VM ID",
    "SMBIOS UUID",
    "VM UUID",
    "VI SDK Server type",
    "VI SDK API Version",
    "VI SDK Server",
    "VI SDK UUID",
]
VHOST = [
    "Host",
    "Datacenter",
    "Cluster",
    "Config status",
    "CPU Model",
    "Speed",
    "HT Available",
    "# CPU",
    "Cores per CPU",
    "# Cores",
    "CPU usage %",
    "# Memory",
    "# NICs",
    "# HBAs",
    "# VMs",
    "VMs per Core",
    "# vCPUs",
    "ESX Version",
    "Boot time",
    "Time Zone Name",
    "Vendor",
    "Model",
    "Serial number",
    "Service tag",
    "OEM specific string",
    "BIOS Vendor",
    "BIOS Version",
    "Object ID",
    "UUID",
    "VI SDK Server",
    "VI SDK UUID",
]


def write_rvtools(estate: Estate, path: Path) -> None:
    rng = estate.rng
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": "RVTools export", "author": "RVTools", "created": EXPORTED})
    vms = [m for m in estate.machines if m.category == "虚拟机"]
    sdk_uuid = estate.uuid()
    info = book.add_worksheet("vInfo")
    info.write_row(0, 0, VINFO)
    vcpu = book.add_worksheet("vCPU")
    vcpu.write_row(
        0,
        0,
        [
            "VM",
            "Powerstate",
            "Template",
            "CPUs",
            "Sockets",
            "Cores p/s",
            "Max",
            "Overall",
            "Level",
            "Shares",
            "Reservation",
            "Limit",
        ],
    )
    row = 0
    for index, m in enumerate(vms, start=1):
        row += 1
        cluster = "PROD-CL01" if (m.esx_host or "") < f"esx09.{DOMAIN}" else "XC-CL01"
        guest = VMWARE_GUEST[m.os or "centos7"]
        cpus = rng.choice((2, 4, 4, 8, 8, 16))
        dns = f"{m.hostname}.{DOMAIN}" if rng.random() > 0.1 else None
        values: dict[str, object] = {
            "VM": (m.hostname or "").upper(),
            "Powerstate": "poweredOn",
            "Template": False,
            "SRM Placeholder": False,
            "Config status": "green",
            "DNS Name": dns,
            "Connection state": "connected",
            "Guest state": "running",
            "Heartbeat": "green",
            "PowerOn": "2026/10/02 03:14:00",
            "CPUs": cpus,
            "Memory": cpus * 4096,
            "NICs": 1,
            "Disks": 2,
            "Primary IP Address": m.ip,
            "Network #1": "VLAN-120",
            "Resource pool": "Resources",
            "Folder": "生产",
            "Annotation": m.name if rng.random() < 0.3 else None,
            "Datacenter": "JC-DC1",
            "Cluster": cluster,
            "Host": m.esx_host,
            "OS according to the configuration file": guest,
            "OS according to the VMware Tools": guest if rng.random() > 0.15 else None,
            "VM ID": f"vm-{1000 + index}",
            "SMBIOS UUID": m.smbios_uuid,
            "VM UUID": estate.uuid("50"),
            "VI SDK Server type": "VMware vCenter Server",
            "VI SDK API Version": "7.0.3",
            "VI SDK Server": f"vcsa01.{DOMAIN}",
            "VI SDK UUID": sdk_uuid,
        }
        info.write_row(row, 0, [values[h] for h in VINFO])
        vcpu.write_row(
            row,
            0,
            [
                values["VM"],
                "poweredOn",
                False,
                cpus,
                cpus // 2,
                2,
                None,
                None,
                "normal",
                cpus * 1000,
                0,
                -1,
            ],
        )
    row += 1  # a template: not a machine
    template = {
        "VM": "TPL-CENTOS7",
        "Powerstate": "poweredOff",
        "Template": True,
        "Host": f"esx01.{DOMAIN}",
        "OS according to the configuration file": "CentOS 7 (64-bit)",
        "SMBIOS UUID": estate.uuid("42"),
        "VI SDK Server": f"vcsa01.{DOMAIN}",
    }
    info.write_row(row, 0, [template.get(h) for h in VINFO])
    host_sheet = book.add_worksheet("vHost")
    host_sheet.write_row(0, 0, VHOST)
    for index, h in enumerate(estate.esx_hosts, start=1):
        cpu = CPUS[h.cpu or "xeon-gold"]
        dell = h.vendor == "dell"
        values = {
            "Host": h.hostname,
            "Datacenter": "JC-DC1",
            "Cluster": "PROD-CL01" if index <= 8 else "XC-CL01",
            "Config status": "green",
            "CPU Model": cpu.name,
            "Speed": 3000 if dell else 2000,
            "HT Available": True,
            "# CPU": 2,
            "Cores per CPU": 24 if dell else 32,
            "# Cores": 48 if dell else 64,
            "CPU usage %": rng.randrange(15, 70),
            "# Memory": 786432,
            "# NICs": 4,
            "# HBAs": 2,
            "# VMs": sum(1 for m in vms if m.esx_host == h.hostname),
            "ESX Version": "VMware ESXi 7.0.3 build-21930508"
            if dell
            else "VMware ESXi 6.7.0 build-17700523",
            "Boot time": "2026/09/12 01:00:00",
            "Time Zone Name": "UTC",
            "Vendor": "Dell Inc." if dell else "Sugon",
            "Model": h.model,
            "Serial number": h.serial if dell else None,
            "Service tag": h.serial,
            "OEM specific string": None,
            "BIOS Vendor": "Dell Inc." if dell else "American Megatrends Inc.",
            "BIOS Version": "2.19.1" if dell else "5.13",
            "Object ID": f"host-{100 + index}",
            "UUID": estate.uuid(),
            "VI SDK Server": f"vcsa01.{DOMAIN}",
            "VI SDK UUID": sdk_uuid,
        }
        host_sheet.write_row(index, 0, [values.get(c) for c in VHOST])
    book.add_worksheet("vLicense").write_row(
        0, 0, ["Name", "Key", "Labels", "Cost Unit", "Total", "Used", "Expiration Date", "Features"]
    )
    book.close()
    write_bytes(path, buffer.getvalue())


def vmware_serial(smbios_uuid: str) -> str:
    digits = smbios_uuid.replace("-", "")
    pairs = [digits[i : i + 2] for i in range(0, 32, 2)]
    return "VMware-" + " ".join(pairs[:8]) + "-" + " ".join(pairs[8:])


def packages_for(estate: Estate, m: Machine) -> list[dict[str, str]]:
    rng = estate.rng
    os_info = OSES[m.os or "centos7"]
    arch = CPUS[m.cpu or "xeon-gold"].arch
    out: list[dict[str, str]] = []
    if os_info.family == "rpm":
        names = dict(RPM_BASE)
        for role in m.roles:
            names.update(RPM_ROLE.get(role, {}))
        release_name = {
            "centos7": "centos-release",
            "rhel7": "redhat-release-server",
            "kylin-server": "kylin-release",
            "uos-server": "uos-release",
            "openeuler": "openEuler-release",
        }[os_info.key]
        names[release_name] = {
            "centos7": "7-9.2009.1",
            "rhel7": "7.9-6",
            "kylin-server": "10-24.6",
            "uos-server": "20-1050e",
            "openeuler": "22.03LTS_SP1-52",
        }[os_info.key]
        for tail in rng.sample(RPM_LONG_TAIL, rng.randrange(2, 6)):
            names[tail] = f"{rng.randrange(1, 6)}.{rng.randrange(0, 12)}.{rng.randrange(0, 30)}-1"
        for name, version in names.items():
            if (
                name not in {"bash", "glibc", "kernel", "openssl", release_name}
                and rng.random() < 0.04
            ):
                continue  # minimal installs differ
            pkg_arch = (
                "noarch" if name in {"ca-certificates", "tzdata", "basesystem", "setup"} else arch
            )
            out.append(
                {
                    "manager": "rpm",
                    "name": name,
                    "version": f"{version}.{os_info.rpm_tag}",
                    "arch": pkg_arch,
                }
            )
        if "kernel" in names and rng.random() < 0.4:  # an older kernel kept after an update
            out.append(
                {
                    "manager": "rpm",
                    "name": "kernel",
                    "version": f"3.10.0-1160.88.1.{os_info.rpm_tag}",
                    "arch": arch,
                }
            )
    else:
        deb_arch = {"x86_64": "amd64", "aarch64": "arm64", "loongarch64": "loong64"}[arch]
        names = dict(DEB_BASE)
        names.update(DEB_DESKTOP[os_info.key])
        for name in rng.sample(sorted(DEB_APPS), rng.randrange(6, 12)):
            names[name] = DEB_APPS[name]
        names["wps-office"] = DEB_APPS["wps-office"]
        for name, version in names.items():
            if name not in {"bash", "libc6", "wps-office"} and rng.random() < 0.03:
                continue
            pkg_arch = (
                "all"
                if name
                in {"tzdata", "ca-certificates", "fonts-noto-cjk", "lsb-base", "adduser", "debconf"}
                else deb_arch
            )
            out.append({"manager": "deb", "name": name, "version": version, "arch": pkg_arch})
    return out


def host_scan(estate: Estate, m: Machine, index: int) -> dict[str, object]:
    rng = estate.rng
    cpu = CPUS[m.cpu or "xeon-gold"]
    os_info = OSES[m.os or "centos7"]
    virtual = m.category == "虚拟机"
    if virtual:
        dmi: dict[str, str | None] = {
            "sys_vendor": "VMware, Inc.",
            "product_name": "VMware Virtual Platform",
            "product_serial": vmware_serial(m.smbios_uuid or estate.uuid("42")),
            "bios_vendor": "Phoenix Technologies LTD",
            "bios_version": "6.00",
        }
    else:
        vendor_dmi = {
            "huawei": "Huawei",
            "inspur": "Inspur",
            "sugon": "Sugon",
            "lenovo": "LENOVO",
            "greatwall": "GreatWall",
            "dell": "Dell Inc.",
            "hp": "HP",
            "tongfang": "TongFang",
        }[m.vendor or "dell"]
        dmi = {
            "sys_vendor": vendor_dmi,
            "product_name": m.model,
            "product_serial": m.serial,
            "bios_vendor": "American Megatrends Inc." if cpu.arch != "aarch64" else vendor_dmi,
            "bios_version": f"{rng.randrange(1, 9)}.{rng.randrange(10, 99)}",
        }
        if rng.random() < 0.05:
            dmi["product_serial"] = None  # unreadable without root
    kernel = {
        "rpm": {
            "centos7": "3.10.0-1160.95.1.el7",
            "rhel7": "3.10.0-1160.95.1.el7",
            "kylin-server": "4.19.90-52.22.v2207.ky10",
            "uos-server": "4.19.90-2305.1.0.0199.56.uel20",
            "openeuler": "5.10.0-136.12.0.86.oe2203sp1",
        },
        "deb": {"kylin-desktop": "5.4.18-85-generic", "uos-desktop": "5.10.101-amd64-desktop"},
    }
    kernel_release = kernel[os_info.family][os_info.key]
    if os_info.family == "rpm":
        kernel_release += f".{cpu.arch}"
    return {
        "format": "xinchuang-host-scan",
        "version": 1,
        "collected_at": (COLLECTED + timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hostname": m.hostname,
        "machine_id": "".join(f"{rng.randrange(16):x}" for _ in range(32)),
        "asset_no": m.asset_no
        if m.category in {"台式机", "笔记本", "柜员终端"} and rng.random() < 0.5
        else None,
        "uname": {"machine": cpu.arch, "kernel": kernel_release},
        "os_release": dict(os_info.release),
        "cpu": {
            "vendor_id": cpu.vendor_id,
            "model_name": cpu.name,
            "implementer": cpu.implementer,
            "part": cpu.part,
            "sockets": 2 if m.category == "服务器" else 1,
            "cores": rng.choice((4, 8)) if m.category != "服务器" else rng.choice((32, 48, 64)),
        },
        "dmi": dmi,
        "packages": packages_for(estate, m),
    }


# -- SBOMs --------------------------------------------------------------------------

CORE_BANKING_COMPONENTS = [  # group, name, version (maven)
    ("org.springframework", "spring-core", "5.3.31"),
    ("org.springframework", "spring-context", "5.3.31"),
    ("org.springframework", "spring-webmvc", "5.3.31"),
    ("org.springframework", "spring-jdbc", "5.3.31"),
    ("org.mybatis", "mybatis", "3.5.13"),
    ("org.mybatis", "mybatis-spring", "2.1.1"),
    ("com.alibaba", "druid", "1.2.20"),
    ("com.alibaba", "fastjson", "1.2.83"),
    ("com.fasterxml.jackson.core", "jackson-databind", "2.15.3"),
    ("org.apache.logging.log4j", "log4j-core", "2.17.2"),
    ("org.slf4j", "slf4j-api", "1.7.36"),
    ("com.oracle.database.jdbc", "ojdbc8", "19.3.0.0"),
    ("com.dameng", "DmJdbcDriver18", "8.1.3.62"),
    ("cn.com.kingbase", "kingbase8", "8.6.0"),
    ("com.tongweb", "tongweb-embed", "7.0.4.9"),
    ("org.apache.commons", "commons-lang3", "3.12.0"),
    ("commons-io", "commons-io", "2.11.0"),
    ("org.bouncycastle", "bcprov-jdk15on", "1.70"),
    ("io.netty", "netty-all", "4.1.100.Final"),
    ("redis.clients", "jedis", "3.10.0"),
    ("org.apache.rocketmq", "rocketmq-client", "4.9.7"),
    ("com.google.guava", "guava", "32.1.3-jre"),
    ("org.quartz-scheduler", "quartz", "2.3.2"),
    ("cn.hutool", "hutool-all", "5.8.22"),
    ("com.jcbank", "jcbank-common", "3.2.1"),
    ("com.jcbank", "jcbank-sm-crypto", "1.0.4"),
]
MOBILE_COMPONENTS = [  # npm name, version
    ("express", "4.18.2"),
    ("body-parser", "1.20.2"),
    ("axios", "1.6.2"),
    ("lodash", "4.17.21"),
    ("moment", "2.29.4"),
    ("jsonwebtoken", "9.0.2"),
    ("mysql2", "3.6.5"),
    ("ioredis", "5.3.2"),
    ("winston", "3.11.0"),
    ("sm-crypto", "0.3.13"),
    ("dayjs", "1.11.10"),
    ("uuid", "9.0.1"),
    ("helmet", "7.1.0"),
    ("cors", "2.8.5"),
    ("@jcbank/mbank-sdk", "2.4.0"),
]
CREDIT_COMPONENTS = [  # pypi name, version
    ("pandas", "1.5.3"),
    ("numpy", "1.24.4"),
    ("scikit-learn", "1.2.2"),
    ("scipy", "1.10.1"),
    ("SQLAlchemy", "1.4.49"),
    ("cx-Oracle", "8.3.0"),
    ("dmPython", "2.4.5"),
    ("requests", "2.31.0"),
    ("flask", "2.2.5"),
    ("gunicorn", "21.2.0"),
    ("xgboost", "1.7.6"),
    ("openpyxl", "3.1.2"),
    ("gmssl", "3.2.2"),
    ("jcbank-risk-models", "3.0.0"),
]


def cyclonedx_json(estate: Estate) -> bytes:
    components: list[dict[str, object]] = []
    for group, name, version in CORE_BANKING_COMPONENTS:
        purl = f"pkg:maven/{group}/{name}@{version}"
        component: dict[str, object] = {
            "type": "library",
            "bom-ref": purl,
            "group": group,
            "name": name,
            "version": version,
            "purl": purl,
        }
        if group != "com.jcbank":
            component["licenses"] = [{"license": {"id": "Apache-2.0"}}]
        components.append(component)
    components.append(
        {  # a nested component: the embedded TongWeb brings its own servlet API
            "type": "framework",
            "bom-ref": "pkg:maven/com.tongweb/tongweb-embed-bundle@7.0.4.9",
            "group": "com.tongweb",
            "name": "tongweb-embed-bundle",
            "version": "7.0.4.9",
            "purl": "pkg:maven/com.tongweb/tongweb-embed-bundle@7.0.4.9",
            "components": [
                {
                    "type": "library",
                    "bom-ref": "pkg:maven/javax.servlet/javax.servlet-api@4.0.1",
                    "group": "javax.servlet",
                    "name": "javax.servlet-api",
                    "version": "4.0.1",
                    "purl": "pkg:maven/javax.servlet/javax.servlet-api@4.0.1",
                }
            ],
        }
    )
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{estate.uuid()}",
        "version": 1,
        "metadata": {
            "timestamp": "2026-11-01T08:00:00Z",
            "tools": {
                "components": [
                    {"type": "application", "name": "cyclonedx-maven-plugin", "version": "2.7.9"}
                ]
            },
            "component": {
                "type": "application",
                "bom-ref": "pkg:maven/com.jcbank/core-banking@3.2.1",
                "group": "com.jcbank",
                "name": "core-banking",
                "version": "3.2.1",
                "description": "核心业务系统",
                "purl": "pkg:maven/com.jcbank/core-banking@3.2.1",
            },
            "supplier": {"name": BANK},
        },
        "components": components,
        "dependencies": [
            {
                "ref": "pkg:maven/com.jcbank/core-banking@3.2.1",
                "dependsOn": [c["bom-ref"] for c in components],
            }
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def cyclonedx_xml(estate: Estate) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"'
        f' serialNumber="urn:uuid:{estate.uuid()}" version="1">',
        "  <metadata>",
        "    <timestamp>2026-11-02T08:00:00Z</timestamp>",
        '    <component type="application" bom-ref="pkg:npm/%40jcbank/mbank-gateway@5.1.0">',
        "      <group>@jcbank</group>",
        "      <name>mbank-gateway</name>",
        "      <version>5.1.0</version>",
        "      <description>手机银行服务端网关</description>",
        "      <purl>pkg:npm/%40jcbank/mbank-gateway@5.1.0</purl>",
        "    </component>",
        "  </metadata>",
        "  <components>",
    ]
    for name, version in MOBILE_COMPONENTS:
        encoded = name.replace("@", "%40")
        purl = f"pkg:npm/{encoded}@{version}"
        lines += [
            f'    <component type="library" bom-ref={quoteattr(purl)}>',
            f"      <name>{escape(name)}</name>",
            f"      <version>{escape(version)}</version>",
            f"      <purl>{escape(purl)}</purl>",
            "    </component>",
        ]
    lines += ["  </components>", "</bom>", ""]
    return "\n".join(lines).encode("utf-8")


def spdx_json(estate: Estate) -> bytes:
    app_id = "SPDXRef-Package-credit-risk"
    packages: list[dict[str, object]] = [
        {
            "name": "credit-risk",
            "SPDXID": app_id,
            "versionInfo": "3.0.2",
            "supplier": f"Organization: {BANK}",
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "description": "信贷风险评分服务",
        }
    ]
    relationships = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": app_id,
        }
    ]
    for name, version in CREDIT_COMPONENTS:
        spdx_id = f"SPDXRef-Package-pypi-{name.lower().replace('_', '-')}"
        packages.append(
            {
                "name": name,
                "SPDXID": spdx_id,
                "versionInfo": version,
                "downloadLocation": f"https://pypi.org/project/{name}/{version}/",
                "filesAnalyzed": False,
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "NOASSERTION",
                "copyrightText": "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": f"pkg:pypi/{name.lower()}@{version}",
                    }
                ],
            }
        )
        relationships.append(
            {
                "spdxElementId": app_id,
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": spdx_id,
            }
        )
    document = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "credit-risk-3.0.2",
        "documentNamespace": f"https://sbom.jcbank.example/spdx/credit-risk-3.0.2-{estate.uuid()}",
        "creationInfo": {
            "created": "2026-11-03T08:00:00Z",
            "creators": ["Tool: jcbank-sbom-builder-1.2", f"Organization: {BANK}"],
        },
        "documentDescribes": [app_id],
        "packages": packages,
        "relationships": relationships,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- business systems ---------------------------------------------------------------

SYSTEMS = [  # name | unit | criticality | host pool | host count | software | depends on
    _system(line)
    for line in _lines(
        """
        核心业务系统|总行|高|db-dm|4|达梦数据库 V8;TongWeb 7.0;核心业务系统 V3|统一认证平台;ESB总线
        核心业务系统(旧)|总行|高|db-oracle|4|Oracle Database 11g;WebLogic 11g|
        统一认证平台|总行|高|xc|3|TongWeb 7;KingbaseES V8|
        ESB总线|总行|高|mq|4|RabbitMQ;TongLINK/Q|统一认证平台
        网上银行系统|总行|高|app|6|Tomcat 7;Oracle Database 19c|核心业务系统;统一认证平台
        手机银行系统|总行|高|app|6|Node.js;Nginx;MySQL 5.7|核心业务系统;统一认证平台;ESB总线
        信贷管理系统|总行|高|wls|4|WebLogic 12c;Oracle Database 19c|核心业务系统;征信查询系统
        统一支付平台|总行|高|xc|4|TongWeb 7;达梦 DM8|核心业务系统
        柜面业务系统|总行|高|app|4|Tomcat;Oracle|核心业务系统
        反洗钱监测系统|总行|中|ora|2|Oracle Database 19c;WebLogic|核心业务系统;数据仓库
        EAST监管报送系统|总行|中|ora|2|Oracle Database 19c|数据仓库
        客户关系管理系统|总行|中|app|3|Tomcat 7;MySQL|核心业务系统
        数据仓库|总行|高|db-oracle|2|Oracle Database 19c|核心业务系统
        风险管理系统|总行|中|wls|3|WebLogic 12c;Oracle|数据仓库
        财务管理系统|总行|中|win|2|用友NC Cloud;SQL Server 2012|核心业务系统
        人力资源管理系统|总行|低|win|2|SAP ERP 6.0;SQL Server|
        办公自动化系统|总行|中|xc|3|TongWeb 7;KingbaseES V8;WPS Office|统一认证平台;电子邮件系统
        电子邮件系统|总行|中|win|2|Microsoft Exchange Server 2013|统一认证平台
        影像平台|总行|中|app|2|Tomcat;Oracle Database 19c|核心业务系统
        票据业务系统|总行|中|wls|2|WebLogic 12c;Oracle Database 11g|核心业务系统
        国际结算系统|总行|中|wls|2|WebLogic 12c;Oracle Database 19c|核心业务系统;ESB总线
        中间业务平台|总行|中|xc|2|TongWeb 7;达梦数据库|核心业务系统
        银行卡系统|总行|高|db-dm|2|达梦数据库 V8;TongWeb|核心业务系统
        ATM前置系统|总行|高|app|2|Tomcat 7;Oracle Database 11g|银行卡系统
        POS收单系统|总行|中|app|2|Tomcat 7;MySQL 5.7|银行卡系统
        短信平台|总行|低|mysql|2|MySQL 5.7;Redis|ESB总线
        呼叫中心系统|总行|中|win|3|Windows Server 2012;SQL Server|客户关系管理系统
        征信查询系统|总行|中|app|2|Tomcat;Oracle|统一认证平台
        资金交易系统|总行|高|ora|2|Oracle Database 19c;WebLogic 12c|核心业务系统
        同业业务系统|总行|中|wls|2|WebLogic;Oracle|资金交易系统
        理财销售系统|总行|中|xc|2|TongWeb 7;KingbaseES|核心业务系统;统一认证平台
        基金代销系统|总行|低|app|2|Tomcat 7;MySQL|理财销售系统
        电子档案系统|总行|低|web|2|Nginx;达梦数据库|
        运维监控平台|总行|中|mysql|2|Zabbix 5.0;MySQL 5.7|
        堡垒机|总行|中|redis|1|齐治堡垒机|统一认证平台
        日志审计系统|总行|低|redis|2|Elasticsearch;Redis|运维监控平台
        备份管理系统|总行|中|srv|3|Veritas NetBackup 8.2;爱数AnyBackup|
        集中作业平台|总行|中|xc|3|TongWeb 7;达梦数据库 V8|核心业务系统;影像平台
        电子签章系统|总行|中|web|2|Nginx;KingbaseES|统一认证平台
        移动办公系统|总行|低|web|2|Nginx;MySQL|办公自动化系统
        绩效考核系统|总行|低|mysql|2|MySQL 5.7;Tomcat|人力资源管理系统
        大数据平台|总行|中|cache|4|Redis;Kafka|数据仓库
        网点排队叫号系统(东湖)|东湖支行|低|DH|3|网点排队叫号系统 1.4|
        网点排队叫号系统(西湖)|西湖支行|low|XH|3|网点排队叫号系统 1.4|
        东湖支行柜面终端|东湖支行|中|DH|40|江城银行柜面系统客户端 V3.2|柜面业务系统
        西湖支行柜面终端|西湖支行|medium|XH|40|江城银行柜面系统客户端 V3.2|柜面业务系统
        """
    )
]


def write_systems(estate: Estate, path: Path) -> None:
    pools: dict[str, list[str]] = {}
    for m in estate.machines:
        if not m.asset_no:
            continue
        keys = list(m.roles)
        if m.hostname and m.hostname.startswith("jc-"):
            keys.append(m.hostname.split("-")[1])
        if m.unit in (EAST, WEST) and m.category == "柜员终端":
            keys.append(m.asset_no.split("-")[0])
        for key in keys:
            pools.setdefault(key, []).append(m.asset_no)
    rows: list[Sequence[object]] = [
        ["系统名称", "所属单位", "行业", "重要程度", "主机", "软件", "依赖系统"]
    ]
    for name, unit, criticality, (pool, count), software, depends in SYSTEMS:
        candidates = pools.get(pool, [])
        hosts = estate.rng.sample(candidates, min(count, len(candidates)))
        separator = estate.pick((";", ";", "；"))
        rows.append([name, unit, "金融", criticality, separator.join(hosts), software, depends])
    write_bytes(path, csv_bytes(rows, "utf-8"))


# -- Windows scans (the PowerShell collector's "xinchuang-windows-scan" format) -------------

# DisplayName | DisplayVersion | Publisher, as "Programs and Features" lists them on a zh-CN desktop
WINDOWS_PROGRAMS = _lines(
    """
    Microsoft Office 专业增强版 2016|16.0.4266.1001|Microsoft Corporation
    Microsoft Office Professional Plus 2010|14.0.7015.1000|Microsoft Corporation
    WPS Office (11.1.0.11719)|11.1.0.11719|Kingsoft Corp.
    WPS Office (12.1.0.15712)|12.1.0.15712|Kingsoft Corp.
    360安全卫士|13.0.0.2005|360.cn
    奇安信天擎|10.0.0.3280|奇安信科技集团股份有限公司
    Google Chrome|119.0.6045.160|Google LLC
    Microsoft Edge|119.0.2151.72|Microsoft Corporation
    Mozilla Firefox (x64 zh-CN)|115.5.0|Mozilla
    Adobe Acrobat Reader DC - Chinese Simplified|23.006.20360|Adobe Systems Incorporated
    Foxit PDF Reader|12.1.2.15332|Foxit Software Inc.
    数科OFD阅读器|3.0.21.0915|北京数科网维技术有限责任公司
    Symantec Endpoint Protection|14.3.558.0000|Broadcom
    搜狗输入法 13.0正式版|13.0.0.7410|Sogou.com
    微信|3.9.8.15|腾讯科技(深圳)有限公司
    腾讯会议|3.21.5.407|腾讯科技(深圳)有限公司
    钉钉|7.1.0.11129|Alibaba (China) Network Technology Co.,Ltd.
    7-Zip 19.00 (x64)|19.00|Igor Pavlov
    WinRAR 5.70 (64-bit)|5.70.0|win.rar GmbH
    Java 8 Update 281 (64-bit)|8.0.2810.9|Oracle Corporation
    Oracle Client 11g|11.2.0.1|Oracle Corporation
    PL/SQL Developer 12 (64 bit)|12.0.7.1837|Allround Automations
    Xshell 6|0006.0176|NetSarang Computer, Inc.
    向日葵远程控制|13.2.0.55335|上海贝锐信息科技股份有限公司
    TeamViewer|15.48.5|TeamViewer
    永中Office 2019|9.0.1589.131|永中软件股份有限公司
    Foxmail|7.2.25.228|Tencent
    CFCA CryptoKit|3.4.0.1|China Financial Certification Authority
    江城银行柜面系统客户端|3.2.7|江城市商业银行
    网点排队叫号客户端|1.4.2|江城智能设备有限公司
    Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532|14.36.32532.0|Microsoft
    Microsoft Visual C++ 2010  x86 Redistributable - 10.0.40219|10.0.40219|Microsoft Corporation
    Microsoft .NET Framework 4.8|4.8.04084|Microsoft Corporation
    Intel(R) Management Engine Components|2040.15.0.2361|Intel Corporation
    Realtek High Definition Audio Driver|6.0.9088.1|Realtek Semiconductor Corp.
    """
)
_OFFICE_UPDATES = ("KB5002140", "KB5002251", "KB4484104", "KB5002058")


def windows_scan(rng: random.Random, m: Machine, index: int) -> dict[str, object]:
    cpu = CPUS[m.cpu or "core-i5"]
    win7 = m.os == "win7"
    programs: list[dict[str, object]] = []
    chosen = rng.sample(WINDOWS_PROGRAMS, rng.randrange(14, 26))
    first_install = date(2019, 1, 1)
    for line in chosen:
        name, version, publisher = line.split("|")
        programs.append({
            "name": name, "version": version, "publisher": publisher,
            "install_date": f"{first_install + timedelta(days=rng.randrange(1700)):%Y%m%d}",
            "hive": "HKLM" if rng.random() < 0.85 else "HKCU", "wow6432node": rng.random() < 0.4,
            "key": name if rng.random() < 0.5 else "{" + str(uuid_from(rng)).upper() + "}",
            "system_component": False, "release_type": None, "parent_key_name": None,
        })  # fmt: skip
        if name.startswith("Microsoft Office 专业增强版 2016"):
            for kb in rng.sample(_OFFICE_UPDATES, 2):
                programs.append({
                    "name": f"Security Update for Microsoft Office 2016 ({kb}) 64-Bit Edition",
                    "version": None, "publisher": "Microsoft", "install_date": None, "hive": "HKLM",
                    "wow6432node": False, "key": f"{{90160000-0011-0000-1000-0000000FF1CE}}_{kb}",
                    "system_component": False, "release_type": "Security Update",
                    "parent_key_name": "Office16.PROPLUS",
                })  # fmt: skip
    vendor = {"lenovo": "LENOVO", "dell": "Dell Inc.", "hp": "HP"}.get(m.vendor or "", "LENOVO")
    return {
        "format": "xinchuang-windows-scan",
        "version": 1,
        "collector": {"name": "xinchuang-collect.ps1", "version": 1,
                      "powershell": "2.0" if win7 else "5.1.19041.3803"},
        "collected_at": f"{COLLECTED + timedelta(hours=8, minutes=index):%Y-%m-%dT%H:%M:%SZ}",
        "hostname": (m.hostname or "").upper(),
        "domain": "JCBANK",
        "asset_no": m.asset_no if rng.random() < 0.3 else None,
        "uuid": str(uuid_from(rng)).upper(),
        "processors": [{"name": cpu.name, "manufacturer": cpu.vendor_id, "cores": 6,
                        "logical_processors": 6 if "i5" in cpu.name else 16, "architecture": 9}],
        "os": {
            "caption": "Microsoft Windows 7 旗舰版 " if win7 else "Microsoft Windows 10 专业版",
            "version": "6.1.7601" if win7 else "10.0.19045",
            "build_number": "7601" if win7 else "19045", "os_architecture": "64 位",
            "edition_id": "Ultimate" if win7 else "Professional",
            "display_version": None if win7 else "22H2",
        },
        "computer_system": {
            "manufacturer": vendor, "model": m.model, "system_type": "x64-based PC"
        },
        "bios": {"serial_number": m.serial, "manufacturer": vendor,
                 "version": f"M{rng.randrange(10, 99)}KT{rng.randrange(10, 99)}A"},
        "programs": programs,
    }  # fmt: skip


def uuid_from(rng: random.Random) -> str:
    raw = "".join(f"{rng.randrange(16):x}" for _ in range(32))
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def write_readme(path: Path, counts: dict[str, int]) -> None:
    text = (
        f"""# {BANK} ({BANK_EN}) — a fictional sample organization

Generated by `scripts/gen_sample.py` (seed {SEED}); do not edit by hand, regenerate.
Every name, number and address here is invented.

| what | count |
|---|---|
"""
        + "".join(f"| {key} | {value} |\n" for key, value in counts.items())
        + """
Sources, as a bank would hand them over:

- `registers/总行信息科技资产台账.xlsx` — HQ CMDB export: notes sheet, servers and VMs, office PCs;
  a merged title row, departments merged down.
- `registers/东湖支行资产清单.csv` — GBK, Chinese headers, a title row, installed programs in one
  cell, amounts in 万元, a totals row.
- `registers/西湖支行_CMDB导出.csv` — UTF-8 with BOM, English headers.
- `registers/软件正版化台账.csv` — software licences.
- `virtualization/RVTools_export_all.xlsx` — the VMware estate (vInfo, vCPU, vHost).
- `scans/*.json` — host scans (POSIX collector) of Linux servers, VMs and domestic terminals;
  `scans/windows-scan-*.json` — Windows scans (PowerShell collector) of HQ office PCs.
- `sbom/` — CycloneDX JSON (core banking, Maven), CycloneDX XML (mobile banking gateway, npm),
  SPDX JSON (credit risk, PyPI).
- `systems.csv` — the business systems.

Import it all: `xinchuang import examples/sample-bank/registers examples/sample-bank/virtualization
examples/sample-bank/scans examples/sample-bank/sbom examples/sample-bank/systems.csv`.
"""
    )
    write_bytes(path, text.encode("utf-8"))


def generate(output: Path) -> dict[str, int]:
    """Write the whole sample organization under ``output``; return what it holds."""
    rng = random.Random(SEED)
    estate = Estate(rng)
    estate.build()
    registers = output / "registers"
    write_hq_register(estate, registers / "总行信息科技资产台账.xlsx")
    write_east_register(estate, registers / "东湖支行资产清单.csv")
    write_west_register(estate, registers / "西湖支行_CMDB导出.csv")
    write_licences(registers / "软件正版化台账.csv")
    write_rvtools(estate, output / "virtualization" / "RVTools_export_all.xlsx")
    packages = 0
    scanned = [m for m in estate.machines if m.scanned]
    for index, machine in enumerate(scanned):
        scan = host_scan(estate, machine, index)
        packages += len(scan["packages"])  # type: ignore[arg-type]
        data = (json.dumps(scan, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        write_bytes(output / "scans" / f"{machine.hostname}.json", data)
    write_bytes(output / "sbom" / "core-banking.cdx.json", cyclonedx_json(estate))
    write_bytes(output / "sbom" / "mbank-gateway.cdx.xml", cyclonedx_xml(estate))
    write_bytes(output / "sbom" / "credit-risk.spdx.json", spdx_json(estate))
    write_systems(estate, output / "systems.csv")
    # Windows scans draw from their own generator, so that adding them changed nothing above.
    windows_rng = random.Random(SEED + 1)
    windows = [m for m in estate.machines if m.unit == HQ and m.os in {"win7", "win10"}]
    windows = [m for m in windows if windows_rng.random() < 0.35]
    programs = 0
    for index, machine in enumerate(windows):
        scan = windows_scan(windows_rng, machine, index)
        programs += len(scan["programs"])  # type: ignore[arg-type]
        data = (json.dumps(scan, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_bytes(output / "scans" / f"windows-scan-{scan['hostname']}.json", data)
    counts = {
        "units": len({m.unit for m in estate.machines}),
        "business systems": len(SYSTEMS),
        "hosts and terminals": len(estate.machines),
        "host scans": len(scanned),
        "installed packages in host scans": packages,
        "Windows scans": len(windows),
        "installed programs in Windows scans": programs,
        "programs listed in registers": sum(
            len(m.software) for m in estate.machines if m.unit == EAST
        ),
        "software licences": len(LICENCES),
        "SBOM components": len(CORE_BANKING_COMPONENTS)
        + 2
        + len(MOBILE_COMPONENTS)
        + len(CREDIT_COMPONENTS),
    }
    write_readme(output / "README.md", counts)
    write_bytes(output / "plan.yaml", PLAN_SETTINGS.encode("utf-8"))
    return counts


# The bank's migration settings (teams, freezes, budget, pilot), for `xinchuang plan`.
PLAN_SETTINGS = """\
# The sample bank's migration settings: what only the organization knows.
# Used by `make demo`: xinchuang plan -w WORKSPACE --settings examples/sample-bank/plan.yaml
# (docs/plan.md explains every key; docs/plan.example.yaml shows them all).

start: 2027-01
period: quarter
horizon: 12
strategy: pilot-then-bulk
time_limit: 20
seed: 0
max_staff_per_system: 3

parallel_running:         # 双轨: old and new side by side after the cut-over
  months: 3
  days_per_month: 2

teams:
  - id: head-office
    capacity: 120         # person-days per quarter the IT department can give
    units: [总行, 全行]
    capacity_by_period: {2027-Q1: 80}   # Spring Festival quarter
  - id: branches
    capacity: 40
    units: [东湖支行, 西湖支行]

freezes:
  - name: year-end closing (年终决算)
    start: 2027-12-15
    end: 2028-01-15

budget:
  day_rate: 2500
  yearly: {2027: 3000000, 2028: 3000000, 2029: 2000000}

state_owned: [总行, 东湖支行, 西湖支行, 全行]   # a city commercial bank held by the city

pilots: [网点排队叫号系统(西湖)]

systems:
  核心业务系统(旧):
    disposition: retire
  核心业务系统:
    priority: 10
    parallel_months: 6
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    counts = generate(args.output)
    for key, value in counts.items():
        print(f"{key:>36}: {value}")


if __name__ == "__main__":
    main()
