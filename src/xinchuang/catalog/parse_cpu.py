"""CPU model strings as ``lscpu``, ``/proc/cpuinfo``, ``dmidecode`` and WMI print them.

Formats read (examples are from public hw-probe and issue pastes; see docs/identification.md):

==========================  ==================================================================
maker                       as printed
==========================  ==================================================================
Intel                       ``Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz``, ``Intel(R) Core(TM)
                            i7-4720HQ CPU @ 2.60GHz``, register abbreviations ``E5-2650V4``
AMD                         ``AMD EPYC 7451 24-Core Processor``, ``AMD Ryzen 7 5800H with Radeon
                            Graphics``, ``Quad-Core AMD Opteron(tm) Processor 2376``
Hygon                       ``Hygon C86 3250  8-core Processor`` (CPUID ``HygonGenuine``)
Zhaoxin                     ``ZHAOXIN KaiXian KX-U6780A@2.7GHz``, ``兆芯 KX-U6780A``
VIA / Centaur               ``VIA Nano U3500@1000MHz`` (CPUID ``CentaurHauls``, shared with Zhaoxin)
Phytium                     ``FT-2000/4``, ``Phytium,D2000/8``, ``Phytium D2000/8 E8C``,
                            ``FT-2000+/64``, core names ``FTC663`` / ``FTC862`` / ``FTC310``
Kunpeng / HiSilicon         ``Kunpeng-920``, ``HUAWEI Kunpeng 920 3210``, ``Hi1620``, ``Hi1612``
Loongson                    ``Loongson-3A5000-HV``, ``Loongson-3C5000L``, ``龙芯3A6000``
Sunway                      ``Sunway SW1621``, ``申威1621``, ``SW3231``
Kirin                       ``HUAWEI Kirin 9006C``, ``Kirin990``, ``麒麟9000C``
Arm cores                   ``Cortex-A72``, ``Neoverse-N1`` (an Arm core says nothing of the maker)
==========================  ==================================================================

:func:`parse_cpu` returns the maker (the vendor slug the catalog uses), the line, the model and
a canonical spelling the catalog's ``cpu_model`` patterns are written for ("Phytium FT-2000/4",
"Intel Xeon E5-2650 v4"); None when the text names no CPU it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinchuang.catalog.cjk_tokens import half_width


@dataclass(frozen=True, slots=True)
class CpuModel:
    """What a CPU model string says: maker slug, line, model, and a canonical spelling."""

    maker: str
    line: str | None
    model: str | None
    canonical: str


_NOISE = re.compile(
    r"\((?:r|tm|c)\)|[®™©]|\bcpu\b|\bprocessor\b|@\s*[\d.]+\+?\s*[gm]hz|\s[\d.]+\s*[gm]hz\b|"
    r"\bwith radeon\b.*$|\b\d+-core\b|\b(?:dual|quad|six|eight)-core\b|"
    r"\(\d+(?:\.\d+)?ghz capable\)",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return " ".join(_NOISE.sub(" ", half_width(text)).split())


_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (maker, re.compile(pattern, re.IGNORECASE))
    for maker, pattern in (
        ("hygon", r"\bhygon\b|海光"),
        ("zhaoxin", r"\bzhaoxin\b|兆芯|\bkaixian\b|\bkaisheng\b|开先|开胜|\bk[xh]-[u\d]"),
        ("via", r"\bvia\b|\bcentaur\b|\b(?:nano|eden|esther|c7(?:-[dm])?)\b"),
        (
            "phytium",
            r"\bphytium\b|飞腾|腾锐|腾云|\bft-?2000|\bftc\d{3}\b|\b[des]\d000[a-z]?\b|\bs2500\b",
        ),
        ("huawei", r"\bkunpeng|鲲鹏|\bhi16\d\d\b|\bkirin|麒麟\s?(?:9\d{3}|x90)|\btsv110\b"),
        ("loongson", r"\bloongson|龙芯|\b3[abc][456]000"),
        ("sunway", r"\bsunway\b|申威|\bsw-?(?:1621|3231|6a|h8000|wy831)\b|\bwy831\b"),
        (
            "intel",
            r"\bintel\b|genuineintel|\bxeon\b|\bcore\s?i[3579]\b|\b[e][357]-\d{4}|\bpentium\b|\bceleron\b|\batom\b",
        ),
        ("amd", r"\bamd\b|authenticamd|\bepyc\b|\bryzen\b|\bopteron\b|\bathlon\b|\bthreadripper\b"),
        ("arm", r"\bcortex-[amr]\d+\b|\bneoverse-[nve]\d\b|\barm1176\b"),
    )
)


def _intel(text: str) -> tuple[str | None, str | None, str]:
    t = text
    xeon = re.search(r"\b([EWX]\d?-?\d{4}[A-UW-Z]?\d?)\s*(?:v\s?(\d))?\b", t, re.IGNORECASE)
    if re.search(r"\bxeon\b|至强", t, re.IGNORECASE) or (
        xeon and re.match(r"E[357]-\d{4}", xeon.group(1), re.IGNORECASE)
    ):
        model = None
        scalable = re.search(r"\b(platinum|gold|silver|bronze)\s+(\d{4}\w*)", t, re.IGNORECASE)
        if scalable:
            model = f"{scalable.group(1).title()} {scalable.group(2).upper()}"
        elif xeon:
            model = xeon.group(1).upper() + (f" v{xeon.group(2)}" if xeon.group(2) else "")
        return "xeon", model, "Intel Xeon" + (f" {model}" if model else "")
    core = re.search(
        r"\bcore\s?(?:\(tm\))?\s?(i[3579]|ultra\s?\d?|2\s?(?:duo|quad)|m)\b[\s-]*(\w+)?", t, re.I
    )
    if core:
        line = core.group(1).lower().replace(" ", "")
        if line.startswith(("i", "ultra")):
            return (
                "core",
                core.group(2),
                f"Intel Core {line}" + (f"-{core.group(2)}" if core.group(2) else ""),
            )
        return "core-legacy", core.group(2), f"Intel Core {line}"
    for line in ("pentium", "celeron", "atom"):
        if re.search(rf"\b{line}\b", t, re.IGNORECASE):
            return line, None, f"Intel {line.title()}"
    return None, None, "Intel"


def _amd(text: str) -> tuple[str | None, str | None, str]:
    for line in (
        "epyc",
        "ryzen",
        "threadripper",
        "opteron",
        "athlon",
        "phenom",
        "turion",
        "sempron",
    ):
        found = re.search(rf"\b{line}\b\s*(?:pro\s+)?([\w-]+)?", text, re.IGNORECASE)
        if found:
            model = found.group(1)
            name = {"epyc": "EPYC", "threadripper": "Ryzen Threadripper"}.get(line, line.title())
            return line, model, f"AMD {name}" + (f" {model}" if model else "")
    return None, None, "AMD"


def parse_cpu(text: str) -> CpuModel | None:
    """The CPU a model string names, or None (see the module docstring for the formats)."""
    if not text or not text.strip():
        return None
    clean = _clean(text)
    for maker, pattern in _RULES:
        if not pattern.search(clean):
            continue
        if maker == "intel":
            line, model, canonical = _intel(clean)
            return CpuModel("intel", line, model, canonical)
        if maker == "amd":
            line, model, canonical = _amd(clean)
            return CpuModel("amd", line, model, canonical)
        if maker == "hygon":
            found = re.search(r"\bc86(?:-\dg)?\s*(\d{4}\w*)?", clean, re.IGNORECASE)
            model = found.group(1) if found else None
            return CpuModel("hygon", "c86", model, "Hygon C86" + (f" {model}" if model else ""))
        if maker == "zhaoxin":
            found = re.search(r"\b(K[XH])-?([U\d]\w*)", clean, re.IGNORECASE)
            line = found.group(1).upper() if found else None
            model = f"{line}-{found.group(2).upper()}" if found else None
            series = {"KX": "KaiXian", "KH": "KaiSheng"}.get(line or "", "")
            return CpuModel(
                "zhaoxin",
                line.lower() if line else None,
                model,
                " ".join(p for p in ("ZHAOXIN", series, model) if p),
            )
        if maker == "via":
            return CpuModel("via", None, None, clean)
        if maker == "phytium":
            return _phytium(clean)
        if maker == "huawei":
            return _huawei(clean)
        if maker == "loongson":
            found = re.search(r"3([abc])\s?([456])000", clean, re.IGNORECASE)
            if found:
                model = f"3{found.group(1).upper()}{found.group(2)}000"
                return CpuModel("loongson", model[:2].lower(), model, f"Loongson-{model}")
            legacy = re.search(r"3([ab])\s?(\d{4})", clean, re.IGNORECASE)
            model = f"3{legacy.group(1).upper()}{legacy.group(2)}" if legacy else None
            return CpuModel("loongson", None, model, f"Loongson-{model}" if model else "Loongson")
        if maker == "sunway":
            found = re.search(
                r"(?:sw-?|申威\s?)(\d{4}|h8000|wy831)|\b(wy831)\b", clean, re.IGNORECASE
            )
            model = (found.group(1) or found.group(2)).upper() if found else None
            return CpuModel("sunway", None, model, f"Sunway {model}" if model else "Sunway")
        if maker == "arm":
            return CpuModel("arm", None, clean, clean)
    return None


def _phytium(clean: str) -> CpuModel:
    if re.search(r"ft-?2000", clean, re.IGNORECASE):
        found = re.search(r"ft-?2000\s?(\+?/\d+)?", clean, re.IGNORECASE)
        suffix = found.group(1) if found and found.group(1) else ""
        return CpuModel("phytium", "ft-2000", f"FT-2000{suffix}", f"Phytium FT-2000{suffix}")
    found = re.search(r"\b([DSE])(\d)000([A-Z]?)\b(?:/(\d+))?", clean, re.IGNORECASE)
    if found:
        model = f"{found.group(1).upper()}{found.group(2)}000{found.group(3).upper()}"
        return CpuModel("phytium", model.lower(), model, f"Phytium {model}")
    if re.search(r"\bs2500\b", clean, re.IGNORECASE):
        return CpuModel("phytium", "s2500", "S2500", "Phytium S2500")
    core = re.search(r"\bftc(\d{3})\b", clean, re.IGNORECASE)
    if core:  # a core name: FTC663 is in FT-2000/4, D2000 and S2500 alike
        return CpuModel("phytium", None, f"FTC{core.group(1)}", f"Phytium FTC{core.group(1)}")
    return CpuModel("phytium", None, None, "Phytium")


def _huawei(clean: str) -> CpuModel:
    if re.search(r"kunpeng\s?-?\s?920|鲲鹏\s?920|\bhi1620\b|\btsv110\b", clean, re.IGNORECASE):
        return CpuModel("huawei", "kunpeng", "920", "Kunpeng 920")
    kirin = re.search(r"(?:kirin|麒麟)\s?(\d{3,4}[a-z]?|x90)\b", clean, re.IGNORECASE)
    if kirin:
        model = kirin.group(1).upper()
        return CpuModel("huawei", "kirin", model, f"Kirin {model}")
    if re.search(r"kunpeng|鲲鹏", clean, re.IGNORECASE):
        return CpuModel("huawei", "kunpeng", None, "Kunpeng")
    hi = re.search(r"\bhi(16\d\d)\b", clean, re.IGNORECASE)
    return CpuModel("huawei", "hisilicon", f"Hi{hi.group(1)}" if hi else None, clean)
