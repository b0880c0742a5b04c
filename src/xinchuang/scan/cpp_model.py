"""Which lines of a C/C++ file each target's preprocessor keeps.

Each CPU target has its compiler's predefined macros (``target_macros.yaml``: dumps of
``cc -dM -E`` where a compiler was at hand, the vendors' documents otherwise). The file's
``#if/#ifdef/#elif/#else`` are evaluated with them, and ``#define``/``#undef`` are followed
through the file and the headers it includes from its own tree, so a project macro derived
from the compiler's (``#if defined(__x86_64__)`` … ``#define FOO_X64 1``) resolves the same
way the compiler would.

Besides the targets there is one more model, ``x86``: any x86 compiler with any ``-m``
feature flags (and MSVC). A line that even it drops is not x86 code at all: a LoongArch
LSX kernel's ``__m128i`` or a POWER ``vec_`` is not an x86 intrinsic.

A macro no target predefines and the files never define is, for the compiler, undefined;
the model says the same, except for the names a configure step writes (``HAVE_…``,
``…_H``, ``ENABLE_…``, ``USE_…``): those leave a condition open, and the finding says so.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from xinchuang.scan.cpp_expr import Evaluation, Macro, Status, Value, evaluate
from xinchuang.scan.lexer import Language, lex

X86 = "x86"  # the "any x86 compiler" model
TARGET_TABLES = {"arm64": "arm64", "loongarch64": "loongarch64", "sw64": "sw64"}
# Names that a configure step (Autoconf, CMake's check_*, Meson) writes into config.h or -D.
_CONFIGURED = re.compile(
    r"^(?:HAVE|HAS|ENABLE|USE|WITH|CONFIG|NO|DISABLE|BUILD|SIZEOF|CAN)_\w+$|_H$|_H_$|_CONFIG_\w+"
)
_X86_NAME = re.compile(
    r"(?i)(?:x86|x64|amd64|i[3-6]86|sse\d*|ssse3|avx\d*|bmi2?|pclmul\w*|aesni|popcnt|f16c|"
    r"lzcnt|sha_?ni|westmere|haswell|skylake|icelake|sandy|ivy|nehalem|znver|intel|cpuid|"
    r"mmintrin|x86intrin|rdrand|rdseed|xsave|amd64_asm)"
)
_DIRECTIVE = re.compile(
    r"^[ \t]*#[ \t]*(?P<word>if|ifdef|ifndef|elif|elifdef|elifndef|else|endif|define|undef|"
    r"include|include_next|error)\b[ \t]*(?P<rest>.*)$"
)
_DEFINE = re.compile(r"(?P<name>[A-Za-z_]\w*)(?P<params>\([^)]*\))?\s*(?P<body>.*)$", re.DOTALL)
_INCLUDE_LINE = re.compile(rb"(?m)^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"\r\n]+)[>\"]")
_INCLUDE = re.compile(r"[<\"](?P<name>[^>\"]+)[>\"]")
_C_SUFFIXES = (
    ".h",
    ".hh",
    ".hpp",
    ".hxx",
    ".h++",
    ".inc",
    ".inl",
    ".ipp",
    ".c",
    ".cc",
    ".cpp",
    ".cxx",
    ".tcc",
    ".cuh",
    ".hip",
)
_MAX_DEPTH = 12
_MAX_HEADER_CACHE = 512
_MAX_OPTIONS = 6


@dataclass(frozen=True)
class Table:
    """One model's macros: defined with a value, open (per-file flags), known undefined."""

    name: str
    defined: dict[str, str]
    open: frozenset[str]
    undefined: frozenset[str]
    headers: frozenset[str]  # intrinsic headers its compiler ships
    foreign_headers: frozenset[str]  # those of other targets


@cache
def tables() -> dict[str, Table]:
    """The models: ``x86`` and each CPU target, from ``target_macros.yaml``."""
    text = resources.files("xinchuang.scan").joinpath("target_macros.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    common: dict[str, str] = {k: str(v) for k, v in data["common"]["macros"].items()}
    targets = data["targets"]
    foreign = data["foreign"]
    every_name: set[str] = set()
    every_header: set[str] = set()
    for entry in targets.values():
        every_name.update(entry["macros"])
        every_name.update(entry.get("optional", {}).get("names", []))
        every_header.update(entry.get("headers", []))
    every_name.update(foreign["x86"], foreign["compilers_and_systems"], foreign["other_isas"])

    def table(name: str, key: str, extra_open: Iterable[str] = ()) -> Table:
        entry = targets[key]
        defined = {**common, **{k: str(v) for k, v in entry["macros"].items()}}
        open_names = frozenset(entry.get("optional", {}).get("names", [])) | frozenset(extra_open)
        undefined = frozenset(every_name - set(defined) - open_names)
        headers = frozenset(entry.get("headers", []))
        return Table(
            name, defined, open_names, undefined, headers, frozenset(every_header - headers)
        )

    out = {
        X86: table(X86, "x86_64", [*foreign["x86"], *foreign["compilers_and_systems"]]),
    }
    for target, key in TARGET_TABLES.items():
        out[target] = table(target, key)
    return out


def model_names(targets: Iterable[str]) -> tuple[str, ...]:
    """``x86`` and the CPU targets among ``targets`` that have a table."""
    return (X86, *(t for t in targets if t in TARGET_TABLES))


def x86_named(names: Iterable[str]) -> bool:
    """True when a macro that left a condition open is named for an x86 feature."""
    return any(_X86_NAME.search(n) for n in names)


@dataclass(frozen=True)
class Directive:
    line: int
    word: str
    rest: str


@dataclass(frozen=True)
class Segment:
    """From ``line`` on (to the next segment), whether the model keeps the code."""

    line: int
    keep: Value  # 1 kept, 0 dropped, None open
    open_names: tuple[str, ...]
    conditions: tuple[tuple[int, str], ...]  # the enclosing #if lines and their conditions


@dataclass
class ModelView:
    """One model's reading of a file."""

    segments: list[Segment] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    errors: list[tuple[int, Value, tuple[tuple[int, str], ...], tuple[str, ...]]] = field(
        default_factory=list
    )
    # the file's #if chains: each branch line -> every branch line of its chain, then #endif
    chains: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def at(self, line: int) -> Segment:
        """The segment that holds ``line``."""
        index = bisect.bisect_right(self.starts, line) - 1
        if index < 0:
            return Segment(1, 1, (), ())
        return self.segments[index]


def directives(code: str) -> list[Directive]:
    """The directives of a file's comment-free text, continuation lines joined."""
    out: list[Directive] = []
    pending = ""
    start = 0
    for number, raw in enumerate(code.split("\n"), start=1):
        if pending:
            line = pending + raw
        else:
            if "#" not in raw:
                continue
            line = raw
            start = number
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        found = _DIRECTIVE.match(line)
        if found is not None:
            out.append(Directive(start, found.group("word"), found.group("rest").strip()))
    return out


class _HeaderIndex:
    """The C/C++ files of one tree by file name, to resolve ``#include`` inside it."""

    def __init__(self, root: Path) -> None:
        self.by_name: dict[str, list[str]] = {}
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
            for name in files:
                if name.endswith(_C_SUFFIXES):
                    self.by_name.setdefault(name, []).append(os.path.join(folder, name))

        self._includers: dict[str, list[tuple[str, str]]] | None = None

    def includers(self, header: Path) -> list[Path]:
        """The tree's files that ``#include`` ``header``, sources before headers."""
        if self._includers is None:
            found: dict[str, list[tuple[str, str]]] = {}
            for paths in self.by_name.values():
                for path in paths:
                    try:
                        with open(path, "rb") as handle:
                            data = handle.read(4 * 1024 * 1024)
                    except OSError:
                        continue
                    for match in _INCLUDE_LINE.finditer(data):
                        name = match.group(1).decode("utf-8", "replace")
                        found.setdefault(name.rsplit("/", 1)[-1], []).append((path, name))
            self._includers = found
        out: list[Path] = []
        for path, name in self._includers.get(header.name, ()):
            including = Path(path)
            if including != header and self.resolve(name, including) == header:
                out.append(including)
        return sorted(set(out), key=lambda p: (is_header(p.name), str(p)))

    def resolve(self, include: str, including: Path) -> Path | None:
        local = including.parent / include
        if local.is_file():
            return local
        candidates = [
            c
            for c in self.by_name.get(include.rsplit("/", 1)[-1], ())
            if c.replace(os.sep, "/").endswith("/" + include)
        ]
        if not candidates:
            return None
        here = str(including.parent)
        return Path(max(candidates, key=lambda c: len(os.path.commonpath([c, here]))))


_indexes: dict[str, _HeaderIndex] = {}
_header_directives: dict[str, list[Directive]] = {}


def _index(root: Path) -> _HeaderIndex:
    key = str(root)
    index = _indexes.get(key)
    if index is None:
        if len(_indexes) > 8:
            _indexes.clear()
        index = _indexes[key] = _HeaderIndex(root)
    return index


def _read_directives(path: Path) -> list[Directive]:
    key = str(path)
    known = _header_directives.get(key)
    if known is not None:
        return known
    try:
        text = path.read_bytes()[: 4 * 1024 * 1024].decode("utf-8", "replace")
    except OSError:
        text = ""
    found = directives(lex(text, Language.C).nocomment) if "#" in text else []
    if len(_header_directives) >= _MAX_HEADER_CACHE:
        _header_directives.clear()
    _header_directives[key] = found
    return found


_NEGATED_DEFINED = re.compile(r"^!\s*defined\s*\(?\s*(?P<name>\w+)\s*\)?$")


def _defined_names(items: list[Directive]) -> set[str]:
    out: set[str] = set()
    for item in items:
        if item.word == "define":
            name = item.rest.split("(", 1)[0].split(None, 1)
            if name:
                out.add(name[0])
    return out


def _knobs(items: list[Directive]) -> set[str]:
    """Names set by ``#ifndef X`` … ``#define X`` (before the chain's next branch): defaults."""
    out: set[str] = set()
    stack: list[str | None] = []
    for item in items:
        word = item.word
        if word in ("if", "ifdef", "ifndef"):
            name: str | None = None
            if word == "ifndef":
                name = item.rest.split()[0] if item.rest.split() else None
            elif word == "if":
                found = _NEGATED_DEFINED.match(item.rest)
                name = found.group("name") if found else None
            stack.append(name)
        elif word in ("elif", "else", "elifdef", "elifndef"):
            if stack:
                stack[-1] = None
        elif word == "endif":
            if stack:
                stack.pop()
        elif word == "define" and stack:
            defined = item.rest.split("(", 1)[0].split(None, 1)
            if defined and defined[0] in stack:
                out.add(defined[0])
    return out


_UNDEF = Macro("")  # marks an explicit #undef in the state
_OPEN = Macro("\x00open")  # a define under an open condition: the macro may or may not exist


def _and(a: Value, b: Value) -> Value:
    if a == 0 or b == 0:
        return 0
    return None if a is None or b is None else 1


def _not(a: Value) -> Value:
    return None if a is None else int(not a)


def _or(a: Value, b: Value) -> Value:
    if a or b:
        return 1
    return None if a is None or b is None else 0


@dataclass
class _Frame:
    parent: Value
    taken: Value  # whether an earlier branch of the chain was taken
    branch: Value  # whether this branch is the one taken
    test: Value  # this branch's own condition
    line: int
    condition: str
    open_names: tuple[str, ...]

    @property
    def keep(self) -> Value:
        return _and(self.parent, self.branch)


class _Reader:
    """Runs one model's preprocessor over a file and the tree headers it includes.

    A macro defined under an open condition has several possible definitions; a condition
    is decided when every combination of them gives the same value.
    """

    def __init__(
        self, table: Table, root: Path | None, real_path: Path | None, header: bool
    ) -> None:
        self.table = table
        self.root = root
        self.real_path = real_path
        self.is_header = header  # a header's includer may define what it tests
        self.state: dict[str, tuple[Macro, ...]] = {}
        self.visited: set[str] = set()
        # names the files read define somewhere (any branch): the project's, not configure's
        self.own: set[str] = set()
        self.choice: dict[str, Macro] = {}
        self.knobs: set[str] = set()
        self.context: set[str] = set()  # names left open because an includer may set them
        # every header this context reaches, with its reading (the first time it is included)
        self.captured: dict[str, ModelView] | None = None

    def base_status(self, name: str) -> tuple[str, Macro | None]:
        table = self.table
        value = table.defined.get(name)
        if value is not None:
            return Status.DEFINED, Macro(value)
        if name in table.open:
            return Status.OPEN, None
        if name in table.undefined:
            return Status.UNDEFINED, None
        if name in self.knobs:
            return Status.UNDEFINED, None  # #ifndef X / #define X default: the default build
        if self.is_header:
            self.context.add(name)
            return Status.OPEN, None  # the includer may define it
        if name in self.own:
            return Status.UNDEFINED, None
        if _CONFIGURED.search(name):
            return Status.OPEN, None
        return Status.UNDEFINED, None

    def lookup(self, name: str) -> tuple[str, Macro | None]:
        chosen = self.choice.get(name)
        options = self.state.get(name)
        if chosen is None and options is not None:
            if len(options) == 1:
                chosen = options[0]
            else:
                return Status.OPEN, None
        if chosen is None:
            return self.base_status(name)
        if chosen is _UNDEF:
            return Status.UNDEFINED, None
        if chosen is _OPEN:
            return Status.OPEN, None
        return Status.DEFINED, chosen

    def current(self, name: str) -> tuple[Macro, ...]:
        options = self.state.get(name)
        if options is not None:
            return options
        status, macro = self.base_status(name)
        if status == Status.DEFINED and macro is not None:
            return (macro,)
        return (_UNDEF,) if status == Status.UNDEFINED else (_OPEN,)

    def assign(self, name: str, macro: Macro, active: Value) -> None:
        if active == 1:
            self.state[name] = (macro,)
            return
        options = tuple(dict.fromkeys((*self.current(name), macro)))
        self.state[name] = options if len(options) <= _MAX_OPTIONS else (_OPEN,)

    def evaluate(self, word: str, rest: str) -> Evaluation:
        if word in ("ifdef", "ifndef", "elifdef", "elifndef"):
            name = rest.split()[0] if rest.split() else ""
            status, _macro = self.lookup(name)
            if status == Status.OPEN:
                return Evaluation(None, (name,))
            defined = status == Status.DEFINED
            return Evaluation(int(defined if word in ("ifdef", "elifdef") else not defined))
        return evaluate(rest, self.lookup, self.header)

    def condition(self, word: str, rest: str) -> Evaluation:
        first = self.evaluate(word, rest)
        if first.value is not None:
            return first
        several = [n for n in first.open_names if len(self.state.get(n, ())) > 1]
        if not several:
            return first
        combinations: list[dict[str, Macro]] = [{}]
        for name in several[:4]:
            combinations = [{**c, name: m} for c in combinations for m in self.state[name]]
        values: set[Value] = set()
        names: list[str] = []
        for combination in combinations:
            self.choice = combination
            try:
                found = self.evaluate(word, rest)
            finally:
                self.choice = {}
            values.add(found.value)
            names.extend(found.open_names)
        if len(values) == 1:
            value = values.pop()
            return Evaluation(value, tuple(dict.fromkeys(names)) if value is None else ())
        return Evaluation(None, tuple(dict.fromkeys([*several, *names])))

    def header(self, name: str) -> Value:
        base = name.rsplit("/", 1)[-1]
        if base in self.table.headers:
            return 1
        if base in self.table.foreign_headers:
            return 0
        return None

    def run(self, items: list[Directive], base: Value, view: ModelView | None, depth: int) -> None:
        stack: list[_Frame] = []
        self.own.update(_defined_names(items))
        self.knobs.update(_knobs(items))

        def keep() -> Value:
            return stack[-1].keep if stack else base

        def mark(line: int) -> None:
            if view is None:
                return
            value = keep()
            names: list[str] = []
            for frame in stack:
                if frame.branch is None:
                    names.extend(frame.open_names)
            conditions = tuple((f.line, f.condition) for f in stack)
            view.segments.append(Segment(line, value, tuple(dict.fromkeys(names)), conditions))
            view.starts.append(line)

        for item in items:
            word = item.word
            if word in ("if", "ifdef", "ifndef"):
                parent = keep()
                found = self.condition(word, item.rest) if parent != 0 else Evaluation(0)
                text = (
                    item.rest
                    if word == "if"
                    else f"{'!' if word == 'ifndef' else ''}defined({item.rest})"
                )
                stack.append(
                    _Frame(parent, 0, found.value, found.value, item.line, text, found.open_names)
                )
                mark(item.line + 1)
            elif word in ("elif", "elifdef", "elifndef", "else"):
                if not stack:
                    continue
                frame = stack[-1]
                taken = _or(frame.taken, frame.test)
                test: Value
                if word == "else":
                    branch = test = _not(taken)
                    names = frame.open_names
                    text = f"!({frame.condition})"
                else:
                    found = (
                        self.condition(word, item.rest)
                        if _and(frame.parent, _not(taken)) != 0
                        else Evaluation(0)
                    )
                    test = found.value
                    branch = _and(_not(taken), test)
                    names = (*frame.open_names, *found.open_names)
                    text = item.rest
                stack[-1] = _Frame(frame.parent, taken, branch, test, item.line, text, names)
                mark(item.line + 1)
            elif word == "endif":
                if stack:
                    stack.pop()
                    mark(item.line + 1)
            else:
                active = keep()
                if active == 0:
                    continue
                if word == "define":
                    found_define = _DEFINE.match(item.rest)
                    if found_define is None:
                        continue
                    name = found_define.group("name")
                    params = found_define.group("params")
                    macro = Macro(
                        found_define.group("body").strip(),
                        tuple(p.strip() for p in params[1:-1].split(",") if p.strip())
                        if params is not None
                        else None,
                    )
                    self.assign(name, macro, active)
                elif word == "undef":
                    name = item.rest.split()[0] if item.rest.split() else ""
                    self.assign(name, _UNDEF, active)
                elif word in ("include", "include_next"):
                    self.include(item.rest, active, depth)
                elif word == "error" and view is not None:
                    conditions = tuple((f.line, f.condition) for f in stack)
                    undecided = [n for f in stack if f.branch is None for n in f.open_names]
                    view.errors.append((item.line, active, conditions, tuple(undecided)))

    def include(self, rest: str, active: Value, depth: int) -> None:
        if self.root is None or self.real_path is None or depth >= _MAX_DEPTH:
            return
        found = _INCLUDE.search(rest)
        if found is None:
            return
        target = _index(self.root).resolve(found.group("name"), self.real_path)
        if target is None:
            return
        key = str(target)
        if key in self.visited or target == self.real_path:
            return
        self.visited.add(key)
        saved = self.real_path
        self.real_path = target
        view: ModelView | None = None
        if self.captured is not None and key not in self.captured:
            view = self.captured[key] = _fresh_view(active)
        try:
            self.run(_read_directives(target), active, view, depth + 1)
        finally:
            self.real_path = saved


_HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".h++", ".inc", ".inl", ".ipp", ".tcc", ".cuh")


def is_header(path: str) -> bool:
    """True for a header: its includer may define the macros it tests."""
    return path.lower().endswith(_HEADER_SUFFIXES)


def tree_root(path: str, real_path: Path | None) -> Path | None:
    """The scan root on disk, from a file's path relative to it and its real path."""
    if real_path is None or "!/" in path:
        return None
    depth = len(Path(path).parts)
    root = real_path
    for _ in range(depth):
        root = root.parent
    return root


def _fresh_view(base: Value) -> ModelView:
    view = ModelView()
    view.segments.append(Segment(1, base, (), ()))
    view.starts.append(1)
    return view


_MAX_INCLUDERS = 3
_MAX_CONTEXTS = 256
# (includer, model) -> the reading of every header that includer's compilation reaches
_contexts: dict[tuple[str, str], dict[str, ModelView]] = {}


def _union(views: list[ModelView]) -> ModelView:
    """Per line, kept when any context keeps it (a header compiled from several files)."""
    if len(views) == 1:
        return views[0]
    out = ModelView()
    for line in sorted({s for v in views for s in v.starts}):
        segments = [v.at(line) for v in views]
        keep: Value = 0
        for segment in segments:
            keep = _or(keep, segment.keep)
        chosen = next((s for s in segments if s.keep == keep), segments[0])
        names = tuple(dict.fromkeys(n for s in segments if s.keep is None for n in s.open_names))
        out.segments.append(Segment(line, keep, names, chosen.conditions))
        out.starts.append(line)
    for view in views:
        out.errors.extend(view.errors)
    return out


def read(
    code: str, models: Iterable[str], path: str, real_path: Path | None
) -> dict[str, ModelView]:
    """Each model's reading of a file (``code``: its comment-free text).

    A header is read as the files that include it see it (up to three of them): a header
    included only from x86-guarded code is dropped on other targets. A header no file of the
    tree includes is read alone, and what an includer could define stays open.
    """
    items = directives(code)
    root = tree_root(path, real_path)
    includers: list[Path] = []
    if root is not None and real_path is not None and is_header(path):
        found = _index(root).includers(real_path)
        sources = [p for p in found if not is_header(p.name)]
        includers = (sources or found)[:_MAX_INCLUDERS]  # a source is a real context
    chains = _chains(items)
    out: dict[str, ModelView] = {}
    for name in models:
        table = tables()[name]
        views: list[ModelView] = []
        for including in includers:
            captured = _contexts.get((str(including), name))
            if captured is None:
                reader = _Reader(table, root, including, is_header(including.name))
                reader.captured = captured = {}
                reader.run(_read_directives(including), 1, None, 0)
                if len(_contexts) >= _MAX_CONTEXTS:
                    _contexts.clear()
                _contexts[(str(including), name)] = captured
            views.append(captured.get(str(real_path)) or _fresh_view(0))
        if not views:
            reader = _Reader(table, root, real_path, is_header(path))
            view = _fresh_view(1)
            reader.run(items, 1, view, 0)
            views.append(view)
        out[name] = _union(views)
        out[name].chains = chains
    return out


def _chains(items: list[Directive]) -> dict[int, tuple[int, ...]]:
    out: dict[int, tuple[int, ...]] = {}
    stack: list[list[int]] = []
    for item in items:
        if item.word in ("if", "ifdef", "ifndef"):
            stack.append([item.line])
        elif item.word in ("elif", "elifdef", "elifndef", "else") and stack:
            stack[-1].append(item.line)
        elif item.word == "endif" and stack:
            lines = stack.pop()
            chain = (*lines, item.line)  # the branches, then the #endif
            for line in lines:
                out[line] = chain
    return out
