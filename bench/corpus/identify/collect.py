"""Collect the machine-readable part of the identification corpus from public repositories.

    python bench/corpus/identify/collect.py MIRROR_DIR > bench/corpus/identify/collected.csv

MIRROR_DIR holds bare clones (``owner+name/repo``) of:

* ``linuxhw/LsCPU`` — ``lscpu`` output submitted by Linux users (hw-probe), one file per
  probe: the ``Model name`` and ``Vendor ID`` lines are taken as printed;
* ``linuxhw/DMI`` — ``dmidecode`` output from the same probes: the System Information
  ``Manufacturer``/``Product Name`` and the first Processor Information ``Version``;
* ``ansible/ansible`` — the distribution-fact fixtures
  (``test/units/module_utils/facts/system/distribution/fixtures``): real ``/etc/*-release``
  files and ``os-release`` contents captured from each distribution;
* ``python-distro/distro`` — ``tests/resources/distros/*/etc/*``: the same files, another
  collection.

Every row keeps the URL of the file at the commit it was read from. The strings are never
edited. The *labels* (expected product, family, origin) are assigned by the rules in
:func:`label_cpu`, :func:`label_machine` and :func:`label_os` below, which read what the
string says (its maker's name and model line) and never consult xinchuang's catalog; rows a
rule cannot decide get no expected origin, and count only toward precision.
"""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SEED = 8
FIELDS = (
    "id",
    "kind",
    "name",
    "version",
    "vendor",
    "model",
    "os_id",
    "cpu_vendor_id",
    "dmi_vendor",
    "dmi_product",
    "cpu",
    "expected_product",
    "expected_family",
    "expected_origin",
    "source",
)


def blobs(repo: Path, under: str) -> list[tuple[str, str]]:
    out = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-z", "HEAD", "--", under],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8", "surrogateescape")
    rows = []
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        rows.append((meta.split()[2], path))
    return rows


def read_blobs(repo: Path, shas: list[str]) -> Iterator[bytes]:
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write("".join(f"{s}\n" for s in shas).encode())
    proc.stdin.close()
    for _ in shas:
        header = proc.stdout.readline().split()
        size = int(header[2]) if len(header) > 2 else 0
        body = proc.stdout.read(size)
        proc.stdout.read(1)
        yield body
    proc.wait()


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def url(slug: str, commit: str, path: str) -> str:
    from urllib.parse import quote

    return f"https://github.com/{slug}/blob/{commit}/{quote(path)}"


# --------------------------------------------------------------------------- labels


def label_cpu(text: str) -> tuple[str, str, str]:
    """(product, family, origin) from what a CPU model string names."""
    t = text.lower()
    if "hygon" in t:
        return (
            "hygon-c86" if re.search(r"c86|7\d{3}|3\d{3}|5\d{3}", t) else "",
            "hygon",
            "domestic",
        )
    if "zhaoxin" in t or "kaixian" in t or re.search(r"\bkx-", t):
        if "kaixian" in t or re.search(r"\bkx-", t):
            return ("zhaoxin-kx", "zhaoxin", "domestic")
        return ("", "zhaoxin", "domestic")
    if "kirin" in t:
        m = re.search(r"kirin\s?(9006c|9000c|x90)", t)
        return (f"kirin-{m.group(1)}" if m else "", "kirin", "domestic")
    if "phytium" in t or re.search(r"\bft-?2000|\bd2000|\bs2500|\bft-?1500", t):
        if re.search(r"ft-?2000", t):
            return ("phytium-ft-2000", "phytium", "domestic")
        if "d2000" in t:
            return ("phytium-d2000", "phytium", "domestic")
        if "d3000" in t:
            return ("phytium-d3000", "phytium", "domestic")
        if "s2500" in t:
            return ("phytium-s2500", "phytium", "domestic")
        return ("", "phytium", "domestic")
    if "kunpeng" in t or "hisilicon" in t or re.search(r"\bhi16\d\d", t):
        return ("kunpeng-920" if "920" in t else "", "kunpeng", "domestic")
    if "loongson" in t or re.search(r"\b3[abc][56]000", t):
        m = re.search(r"3([abc])([56])000", t)
        return (f"loongson-3{m.group(1)}{m.group(2)}000" if m else "", "loongson", "domestic")
    if "intel" in t or "genuineintel" in t or re.search(r"\b(pentium|celeron)\b", t):
        if "xeon" in t:
            return ("intel-xeon", "intel", "foreign")
        if re.search(r"core\(tm\)|core™|\bcore i\d|\bcore \d|core ultra|core\(tm\)2|core 2", t):
            return ("intel-core", "intel", "foreign")
        return ("", "intel", "foreign")
    if t.startswith("amd") or "amd " in t or "authenticamd" in t:
        if "epyc" in t:
            return ("amd-epyc", "amd", "foreign")
        if "ryzen" in t:
            return ("amd-ryzen", "amd", "foreign")
        return ("", "amd", "foreign")
    if re.search(r"\bvia\b|centaur|\bnano\b|\beden\b|\bc7\b", t):
        return ("", "via", "foreign")
    return ("", "", "")


_FOREIGN_BRANDS = {
    "dell": ("dell-poweredge", r"poweredge"),
    "dell inc.": ("dell-poweredge", r"poweredge"),
    "hpe": ("hpe-proliant", r"proliant"),
    "hewlett-packard": ("hpe-proliant", r"proliant"),
    "hewlett packard": ("hpe-proliant", r"proliant"),
    "compaq": ("hpe-proliant", r"proliant"),
    "hp": ("hpe-proliant", r"proliant"),
    "supermicro": ("", r"$^"),
    "ibm": ("", r"$^"),
    "fujitsu": ("", r"$^"),
    "cisco systems": ("cisco-ucs", r"ucs"),
    "cisco systems inc": ("cisco-ucs", r"ucs"),
    "gigabyte technology": ("", r"$^"),
    "asustek computer": ("", r"$^"),
    "asrockrack": ("", r"$^"),
    "tyan computer": ("", r"$^"),
    "quanta": ("", r"$^"),
    "intel": ("", r"$^"),
    "sun microsystems": ("", r"$^"),
    "oracle": ("", r"$^"),
    "msi": ("", r"$^"),
    "acer": ("", r"$^"),
}
_DOMESTIC_BRANDS = {
    "huawei": [("huawei-taishan", r"taishan"), ("huawei-qingyun", r"qingyun|擎云")],
    "inspur": [("inspur-server", r"nf\d|sa\d|cs\d|nx\d|tf\d|i\d{2}")],
    "sugon": [("sugon-server", r".")],
    "lenovo": [("lenovo-thinksystem", r"thinksystem"), ("lenovo-kaitian", r"kaitian|开天")],
    "greatwall": [("greatwall-pc", r".")],
    "great wall": [("greatwall-pc", r".")],
    "h3c": [("h3c-uniserver", r"uniserver|r\d{4}")],
    "tsinghua tongfang computer": [("", r"$^")],
    "phytium": [("", r"$^")],
    "loongson": [("", r"$^")],
    "shanghai zhaoxin": [("", r"$^")],
}


def label_machine(maker: str, product: str, cpu_origin: str) -> tuple[str, str, str]:
    """(product, family, origin) of a machine: a foreign maker's machine is foreign; a
    domestic maker's follows its CPU (a Chinese brand's Intel server is not domestic)."""
    if cpu_origin == "foreign":  # a machine on a foreign CPU is not domestic, whoever built it
        return (_machine_product(maker, product), "", "foreign")
    return _machine_label(maker, product, cpu_origin)


def _machine_product(maker: str, product: str) -> str:
    return _machine_label(maker, product, "")[0]


def _machine_label(maker: str, product: str, cpu_origin: str) -> tuple[str, str, str]:
    key = re.sub(r"\s+", " ", maker.strip().lower())
    key = re.sub(r",? (inc\.?|co\.,? ?ltd\.?|corporation|technologies co\.?,? ?ltd\.?)$", "", key)
    for brand, (product_id, pattern) in _FOREIGN_BRANDS.items():
        if key == brand or key.startswith(brand + " "):
            pid = product_id if re.search(pattern, product.lower()) else ""
            return (pid, "", "foreign")
    for brand, lines in _DOMESTIC_BRANDS.items():
        if key.startswith(brand):
            pid = next((p for p, pat in lines if re.search(pat, product.lower())), "")
            return (pid, "", cpu_origin)
    return ("", "", "")


_OS_LABELS: dict[str, tuple[str, str, str]] = {
    # os-release ID (or what the release line names) → (product, family, origin)
    "centos": ("centos", "", "foreign"),
    "rhel": ("rhel", "", "foreign"),
    "redhat": ("rhel", "", "foreign"),
    "fedora": ("fedora", "", "foreign"),
    "debian": ("debian", "", "foreign"),
    "ubuntu": ("ubuntu", "", "foreign"),
    "sles": ("sles", "", "foreign"),
    "opensuse": ("", "", "foreign"),
    "opensuse-leap": ("", "", "foreign"),
    "opensuse-tumbleweed": ("", "", "foreign"),
    "ol": ("oracle-linux", "", "foreign"),
    "oracle": ("oracle-linux", "", "foreign"),
    "almalinux": ("", "", "foreign"),
    "rocky": ("", "", "foreign"),
    "amzn": ("", "", "foreign"),
    "amazon": ("", "", "foreign"),
    "arch": ("", "", "foreign"),
    "linuxmint": ("", "", "foreign"),
    "kali": ("", "", "foreign"),
    "solaris": ("oracle-solaris", "", "foreign"),
    "aix": ("ibm-aix", "", "foreign"),
    "kylin": ("kylin-server-v10", "kylin", "domestic"),
    "uos": ("", "uos", "domestic"),
    "deepin": ("deepin", "", "domestic"),
    "openeuler": ("openeuler", "", "domestic"),
    "tencentos": ("", "", "domestic"),
    "anolis": ("anolis-os", "", "domestic"),
    "opencloudos": ("opencloudos", "", "domestic"),
}


def label_os(os_id: str) -> tuple[str, str, str]:
    return _OS_LABELS.get(os_id.lower(), ("", "", ""))


# --------------------------------------------------------------------------- collectors


def lscpu(mirror: Path) -> Iterator[dict[str, str]]:
    repo = mirror / "linuxhw+LsCPU" / "repo"
    commit = head(repo)
    rng = random.Random(SEED)
    entries = blobs(repo, ".")
    by_model: dict[str, list[tuple[str, str]]] = {}
    for sha, path in entries:
        parts = path.split("/")
        if len(parts) >= 4:
            by_model.setdefault("/".join(parts[:3]), []).append((sha, path))
    groups = sorted(by_model)
    quota = {"Intel": 320, "AMD": 200}
    chosen: list[tuple[str, str]] = []
    for vendor in sorted({g.split("/")[0] for g in groups}):
        mine = [g for g in groups if g.split("/")[0] == vendor]
        if vendor in quota and len(mine) > quota[vendor]:
            mine = sorted(rng.sample(mine, quota[vendor]))
        chosen += [rng.choice(by_model[g]) for g in mine]
    seen: set[str] = set()
    for (_sha, path), body in zip(chosen, read_blobs(repo, [s for s, _ in chosen]), strict=True):
        text = body.decode("utf-8", "replace")
        model = re.search(r"^Model name:\s*(.+?)\s*$", text, re.M)
        vendor_id = re.search(r"^Vendor ID:\s*(.+?)\s*$", text, re.M)
        if not model or model.group(1) in seen:
            continue
        seen.add(model.group(1))
        label = label_cpu(f"{vendor_id.group(1) if vendor_id else ''} {model.group(1)}")
        yield {
            "kind": "cpu",
            "name": model.group(1),
            "cpu_vendor_id": vendor_id.group(1) if vendor_id else "",
            "expected_product": label[0],
            "expected_family": label[1],
            "expected_origin": label[2],
            "source": url("linuxhw/LsCPU", commit, path),
        }


def _section(text: str, title: str) -> dict[str, str]:
    found = re.search(rf"^{title}\n((?:\t.*\n?)+)", text, re.M)
    fields: dict[str, str] = {}
    if found:
        for line in found.group(1).splitlines():
            if ":" in line and line.startswith("\t") and not line.startswith("\t\t"):
                key, _, value = line.strip().partition(":")
                fields[key.strip()] = value.strip()
    return fields


_CN_MAKERS = re.compile(
    r"huawei|inspur|sugon|lenovo|great ?wall|tongfang|phytium|loongson|zhaoxin|h3c|"
    r"hygon|kunpeng|changwang|hisilicon|tsinghua",
    re.I,
)


def dmi(mirror: Path) -> Iterator[dict[str, str]]:
    repo = mirror / "linuxhw+DMI" / "repo"
    commit = head(repo)
    rng = random.Random(SEED)
    entries = blobs(repo, ".")
    groups: dict[str, list[tuple[str, str]]] = {}
    for sha, path in entries:
        parts = path.split("/")
        if len(parts) >= 5:
            groups.setdefault("/".join(parts[:4]), []).append((sha, path))
    keys = sorted(groups)
    server = [k for k in keys if k.startswith("Server/")]
    chinese = [
        k for k in keys if not k.startswith("Server/") and _CN_MAKERS.search(k.split("/")[1])
    ]
    others = [k for k in keys if k not in set(server) | set(chinese)]
    lenovo = [k for k in chinese if k.split("/")[1].lower().startswith("lenovo")]
    chinese_other = [k for k in chinese if k not in set(lenovo)]
    chosen_keys = sorted(
        set(server)
        | set(chinese_other)
        | set(rng.sample(lenovo, 80))
        | set(rng.sample(others, 120))
    )
    chosen = [rng.choice(groups[k]) for k in chosen_keys]
    seen_machine: set[tuple[str, str]] = set()
    seen_cpu: set[str] = set()
    for (_sha, path), body in zip(chosen, read_blobs(repo, [s for s, _ in chosen]), strict=True):
        text = body.decode("utf-8", "replace").replace("\r", "")
        system = _section(text, "System Information")
        processor = _section(text, "Processor Information")
        maker, product = system.get("Manufacturer", ""), system.get("Product Name", "")
        cpu = processor.get("Version", "")
        source = url("linuxhw/DMI", commit, path)
        cpu_label = label_cpu(f"{processor.get('Manufacturer', '')} {cpu}")
        if (
            cpu
            and cpu not in seen_cpu
            and not re.match(r"(?i)to be filled|not specified|^\W*$", cpu)
        ):
            seen_cpu.add(cpu)
            yield {
                "kind": "cpu",
                "name": cpu,
                "vendor": processor.get("Manufacturer", ""),
                "expected_product": cpu_label[0],
                "expected_family": cpu_label[1],
                "expected_origin": cpu_label[2],
                "source": source,
            }
        if maker and product and (maker, product) not in seen_machine:
            seen_machine.add((maker, product))
            label = label_machine(maker, product, cpu_label[2])
            yield {
                "kind": "machine",
                "name": product,
                "dmi_vendor": maker,
                "dmi_product": product,
                "cpu": cpu,
                "expected_product": label[0],
                "expected_family": label[1],
                "expected_origin": label[2],
                "source": source,
            }


def _os_release(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"').strip("'")
    return fields


def _release_rows(files: dict[str, str], source: str) -> Iterator[dict[str, str]]:
    osr = _os_release(files.get("/etc/os-release", "") or files.get("/usr/lib/os-release", ""))
    os_id = osr.get("ID", "")
    label = label_os(os_id) if os_id else ("", "", "")
    for path, content in sorted(files.items()):
        if not content or not content.strip():
            continue
        if path.endswith(("os-release",)):
            if osr.get("PRETTY_NAME"):
                yield {
                    "kind": "os",
                    "name": osr["PRETTY_NAME"],
                    "version": osr.get("VERSION_ID", ""),
                    "os_id": os_id,
                    "expected_product": label[0],
                    "expected_family": label[1],
                    "expected_origin": label[2],
                    "source": source,
                }
            if osr.get("NAME") and osr.get("NAME") != osr.get("PRETTY_NAME"):
                yield {
                    "kind": "os",
                    "name": osr["NAME"],
                    "version": osr.get("VERSION", ""),
                    "expected_product": label[0],
                    "expected_family": label[1],
                    "expected_origin": label[2],
                    "source": source,
                }
        elif path.endswith("lsb-release"):
            lsb = _os_release(content)
            if lsb.get("DISTRIB_DESCRIPTION"):
                yield {
                    "kind": "os",
                    "name": lsb["DISTRIB_DESCRIPTION"],
                    "version": lsb.get("DISTRIB_RELEASE", ""),
                    "expected_product": label[0],
                    "expected_family": label[1],
                    "expected_origin": label[2],
                    "source": source,
                }
        elif re.search(
            r"(redhat|centos|system|oracle|rocky|almalinux|fedora|SuSE|kylin|"
            r"openEuler|euleros|anolis|uos|deepin)-release$|/etc/issue$",
            path,
            re.I,
        ):
            line = content.strip().splitlines()[0].strip()
            if line and "\\" not in line:
                yield {
                    "kind": "os",
                    "name": line,
                    "expected_product": label[0],
                    "expected_family": label[1],
                    "expected_origin": label[2],
                    "source": source,
                }


def ansible(mirror: Path) -> Iterator[dict[str, str]]:
    repo = mirror / "ansible+ansible" / "repo"
    commit = head(repo)
    under = "test/units/module_utils/facts/system/distribution/fixtures"
    entries = [e for e in blobs(repo, under) if e[1].endswith(".json")]
    for (_sha, path), body in zip(entries, read_blobs(repo, [s for s, _ in entries]), strict=True):
        data = json.loads(body)
        yield from _release_rows(data.get("input", {}), url("ansible/ansible", commit, path))


def python_distro(mirror: Path) -> Iterator[dict[str, str]]:
    repo = mirror / "python-distro+distro" / "repo"
    commit = head(repo)
    entries = [
        e for e in blobs(repo, "tests/resources/distros") if "/etc/" in e[1] or "/usr/lib/" in e[1]
    ]
    by_distro: dict[str, dict[str, tuple[str, str]]] = {}
    for sha, path in entries:
        distro, _, rest = path.removeprefix("tests/resources/distros/").partition("/")
        by_distro.setdefault(distro, {})["/" + rest] = (sha, path)
    for distro in sorted(by_distro):
        files = by_distro[distro]
        shas = [sha for sha, _ in files.values()]
        texts = {
            key: body.decode("utf-8", "replace")
            for key, body in zip(files, read_blobs(repo, shas), strict=True)
        }
        anchor = files.get("/etc/os-release", next(iter(files.values())))[1]
        yield from _release_rows(texts, url("python-distro/distro", commit, anchor))


def main() -> None:
    mirror = Path(sys.argv[1])
    writer = csv.DictWriter(sys.stdout, FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    seen: set[tuple[str, ...]] = set()
    number = 0
    for collector in (lscpu, dmi, ansible, python_distro):
        for row in collector(mirror):
            key = (
                row["kind"],
                row["name"],
                row.get("vendor", "") or row.get("dmi_vendor", ""),
                row.get("version", ""),
            )
            if key in seen:
                continue
            seen.add(key)
            number += 1
            writer.writerow({"id": f"c{number:04d}", **row})


if __name__ == "__main__":
    main()
