"""x86 compiler flags in build files, judged by where they sit.

Most ``-msse4.2``/``-mavx2`` in real build files are already conditional: a compile test
(``AX_CHECK_COMPILE_FLAG``, CMake's ``check_c_compiler_flag``, a ``has_flag`` function in
``setup.py``), or a block that runs on x86 only (``if(CMAKE_SYSTEM_PROCESSOR MATCHES
"x86_64")``, ``if platform.machine() == "x86_64":``, ``ifeq ($(ARCH),x86_64)``, a
``case $host_cpu in x86_64*)``), or a file in an ``arch/x86/`` folder. Only a flag in none
of these reaches the compiler of another ISA, and that compiler stops: the blocker. A flag
under some other condition (``if(WITH_OPTIM)``) is a warning whose remark names the
condition: the scanner does not decide what the build's options are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.matchers.regex import match as regex_match
from xinchuang.scan.per_target import CPU_TARGETS, path_isa
from xinchuang.scan.rule import Rule

_PROBE = re.compile(
    r"AX_CHECK_COMPILE_FLAG|AX_APPEND_COMPILE_FLAGS|AC_COMPILE_IFELSE|AC_LINK_IFELSE|"
    r"AC_TRY_COMPILE|AC_TRY_LINK|(?i:check_(?:c|cxx)_compiler_flag|check_(?:c|cxx)_source_"
    r"(?:compiles|runs)|CMAKE_REQUIRED_FLAGS|try_compile|has_argument|get_supported_arguments|"
    r"has_flag|compiler_has|test_compilation|check_flag|flag_works|supports_flag|"
    r"try_cflags|cc_check|compile_test)"
)
_X86_CONDITION = re.compile(
    r"(?i)x86|amd64|\bx64\b|i[3-6?]86|\bintel\b|\bsse\d*|\bavx\d*|ssse3|pclmul|aesni|"
    r"is_?x86|arch_x86|basearch_x86"
)
_PY_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)(?P<word>if|elif|else|def|for|while|with|try)\b(?P<rest>.*)$"
)
_CMAKE_BLOCK = re.compile(r"^\s*(?P<word>if|elseif|else|endif)\s*\((?P<rest>.*)$", re.IGNORECASE)
_MAKE_BLOCK = re.compile(r"^\s*(?P<word>ifeq|ifneq|ifdef|ifndef|else|endif)\b(?P<rest>.*)$")
_SHELL_BLOCK = re.compile(
    r"^\s*(?P<word>if|elif|else|fi|case|esac|AS_IF|AS_CASE)\b(?P<rest>.*)$|"
    r"^\s*(?P<pattern>[\w*?.|\[\]-]+(?:\s*\|\s*[\w*?.\[\]-]+)*)\)\s*(?P<after>.*)$"
)


def _python_context(lines: list[str], index: int) -> list[str]:
    """The headers of the Python blocks that hold line ``index`` (innermost first)."""
    line = lines[index]
    indent = len(line) - len(line.lstrip())
    out: list[str] = []
    for number in range(index - 1, -1, -1):
        text = lines[number]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        own = len(text) - len(text.lstrip())
        if own < indent:
            found = _PY_BLOCK.match(text)
            if found is not None:
                word = found.group("word")
                out.append(f"{word} {found.group('rest').strip()}")
                if word in ("elif", "else"):
                    # the chain's earlier tests tell which CPU an else runs on
                    continue
            indent = own
            if indent == 0:
                break
    return out


def _stack_context(lines: list[str], index: int, kind: str) -> list[str]:
    """Open CMake / Make / shell blocks at line ``index``: their conditions."""
    stack: list[str] = []
    pattern = {"cmake": _CMAKE_BLOCK, "make": _MAKE_BLOCK}.get(kind, _SHELL_BLOCK)
    for number in range(index):
        found = pattern.match(lines[number])
        if found is None:
            continue
        groups = found.groupdict()
        word = (groups.get("word") or "").lower()
        if kind == "shell" and groups.get("pattern") and not word:
            if stack and stack[-1].startswith("case"):
                stack.append(f"case-pattern {groups['pattern']}")
            continue
        rest = groups.get("rest") or ""
        if word in ("if", "ifeq", "ifneq", "ifdef", "ifndef", "case", "as_if", "as_case"):
            stack.append(f"{word} {rest.strip()}")
        elif word in ("elseif", "elif"):
            if stack:
                stack[-1] = f"{word} {rest.strip()}"
        elif word == "else":
            if stack:
                stack[-1] = f"else-of {stack[-1]}"
        elif word in ("endif", "fi"):
            if stack:
                stack.pop()
        elif word == "esac":
            while stack and stack[-1].startswith("case-pattern"):
                stack.pop()
            if stack:
                stack.pop()
        if (
            kind == "shell"
            and lines[number].strip().endswith(";;")
            and stack
            and stack[-1].startswith("case-pattern")
        ):
            stack.pop()
    return list(reversed(stack))


def _kind(ctx: FileContext) -> str:
    name = ctx.path.rsplit("/", 1)[-1].lower()
    if "python" in ctx.kinds or name.endswith(".py"):
        return "python"
    if "cmake" in ctx.kinds or name.endswith(".cmake") or name == "cmakelists.txt":
        return "cmake"
    if name.startswith(("makefile", "gnumakefile")) or name.endswith((".mk", ".mak", ".am", ".in")):
        return "make" if "configure" not in name else "shell"
    return "shell"


def placement(ctx: FileContext, line: int) -> tuple[str, str]:
    """Where a flag sits: ("probe"|"x86"|"other"|"none", the condition's text)."""
    lines = ctx.memo.get("build.lines")
    if not isinstance(lines, list):
        lines = ctx.text.split("\n")
        ctx.memo["build.lines"] = lines
    index = line - 1
    window = "\n".join(lines[max(0, index - 3) : index + 1])
    if _PROBE.search(window):
        return "probe", window.strip().split("\n")[-1][:120]
    kind = _kind(ctx)
    context = (
        _python_context(lines, index) if kind == "python" else _stack_context(lines, index, kind)
    )
    for header in context:
        if kind == "python" and header.startswith("def ") and _PROBE.search(header + " " + header):
            return "probe", header[:120]
        if (
            kind == "python"
            and header.startswith("def ")
            and re.search(r"(?i)def\s+\w*(?:check|test|has|probe|detect|support)\w*", header)
        ):
            return "probe", header[:120]
        if _X86_CONDITION.search(header) and not header.startswith("else-of"):
            return "x86", header[:120]
    conditions = [
        h for h in context if not h.startswith(("def ", "for ", "while ", "with ", "try"))
    ]
    if conditions:
        return "other", conditions[0][:120]
    return "none", ""


def match_build_flags(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """x86 flags that reach every compiler (blocker) or sit under an undecided condition."""
    if path_isa(ctx.path) not in (None,):
        return  # arch/x86/Makefile.in and the like: the build uses it for that ISA only
    for hit in regex_match(rule, ctx):
        if hit.offset is None:
            continue
        line, _col = ctx.position(hit.offset)
        where, condition = placement(ctx, line)
        if where in ("probe", "x86"):
            continue
        if where == "none":
            yield hit
            continue
        yield Hit(
            offset=hit.offset,
            snippet=hit.snippet,
            message=hit.message,
            remark=_("under a condition the scanner does not decide: {condition}").format(
                condition=condition
            ),
            per_target=dict.fromkeys(CPU_TARGETS, "warning"),
            confidence="low",
        )
