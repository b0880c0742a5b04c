"""Run the rules over files, in parallel, streaming, with bounded memory.

The walker yields file entries lazily; batches of them go to a process pool
with a bounded number in flight, and each batch comes back as findings. No
file's content leaves the worker that read it, and at most a window of
batches is pending at any time, so memory stays flat however large the tree.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from xinchuang import i18n
from xinchuang.i18n import _
from xinchuang.scan import suppress
from xinchuang.scan.config import ScanConfig
from xinchuang.scan.context import FileContext
from xinchuang.scan.filekinds import BINARY_KINDS, TEXT_KINDS, kinds_for, language_of, refine
from xinchuang.scan.finding import BatchResult, Document, Finding, Hit, SqlObject
from xinchuang.scan.matchers import Matcher, matchers
from xinchuang.scan.matchers.binary import elf_machine, pe_machine
from xinchuang.scan.matchers.office import extract_vba
from xinchuang.scan.prefilter import FileGate, KindPlan
from xinchuang.scan.registry import Registry, default_registry
from xinchuang.scan.rule import Rule, Scope
from xinchuang.scan.targets import TARGETS, Family, Severity, worst
from xinchuang.scan.walker import Entry, Escape, walk

_DB_SOURCE_KINDS = frozenset({"sql", "plsql", "mapper"})
_C_KINDS = frozenset({"c", "cpp"})


def _elsewhere(path: str, per_target: dict[str, str]) -> dict[str, str]:
    """Less the targets a file is not built for, by its folder (arch/s390/…, arch/x86/…)."""
    from xinchuang.scan.per_target import CPU_TARGETS, path_isa

    built_for = path_isa(path)
    if built_for is None:
        return per_target
    return {t: s for t, s in per_target.items() if t not in CPU_TARGETS or t == built_for}


def _kept(ctx: FileContext, line: int, per_target: dict[str, str]) -> dict[str, str]:
    """A CPU rule's verdicts, less the targets whose preprocessor drops the line.

    A line that no x86 compiler keeps either is not x86 code: no target gets the finding.
    """
    from xinchuang.scan.cpp_model import X86
    from xinchuang.scan.per_target import path_isa

    views = ctx.cpp_views
    built_for = path_isa(ctx.path)
    if views[X86].at(line).keep == 0 or built_for not in (None, "x86"):
        return {}
    if built_for == "x86":
        return {t: s for t, s in per_target.items() if t not in views}
    from xinchuang.scan.cpp_model import x86_named

    out: dict[str, str] = {}
    for target, severity in per_target.items():
        if target in views:
            segment = views[target].at(line)
            if segment.keep == 0 or (segment.keep is None and x86_named(segment.open_names)):
                continue  # dropped, or behind an x86 feature test only the build decides
        out[target] = severity
    return out


_PORTABLE_NATIVE_DIRS = ("aarch64", "arm64", "loongarch64", "loong64", "sw_64", "sw64", "arm")


@dataclass
class _State:
    """What a worker holds for its whole life: rules, matchers, settings."""

    config: ScanConfig
    registry: Registry
    matchers: dict[str, Matcher]
    by_kind: dict[str, list[Rule]] = field(default_factory=dict)
    considered: frozenset[str] = frozenset()
    dialects: dict[str, list[str]] = field(default_factory=dict)  # sqlglot dialect → targets
    plans: dict[frozenset[str], KindPlan] = field(default_factory=dict)  # file kinds → plan
    extra_rule_dirs: tuple[str, ...] = ()

    def plan(self, kinds: frozenset[str]) -> KindPlan | None:
        """The rules that read files of ``kinds``, with their pre-filters (None: no rule)."""
        plan = self.plans.get(kinds)
        if plan is None:
            rules: dict[str, Rule] = {}
            for kind in kinds:
                for rule in self.by_kind.get(kind, ()):
                    rules[rule.code] = rule
            plan = self.plans[kinds] = KindPlan(rules.values())
        return plan if plan.gates else None


_state: _State | None = None


def _init(config: ScanConfig, extra_rule_dirs: tuple[str, ...] = ()) -> _State:
    global _state
    i18n.set_language(config.language)
    if extra_rule_dirs:
        from xinchuang.scan.registry import load_rules

        registry = load_rules(Path(d) for d in extra_rule_dirs)
    else:
        registry = default_registry()
    considered = frozenset(config.targets)
    state = _State(
        config, registry, matchers(), considered=considered, extra_rule_dirs=extra_rule_dirs
    )
    for rule in registry.rules.values():
        if rule.status == "removed" or rule.code in config.disable:
            continue
        if not set(rule.verdicts) & considered:
            continue
        for kind in rule.kinds:
            state.by_kind.setdefault(kind, []).append(rule)
    for target in considered:
        dialect = TARGETS[target].sqlglot_dialect
        if dialect:
            state.dialects.setdefault(dialect, []).append(target)
    _state = state
    return state


def _worker_init(config: ScanConfig, extra_rule_dirs: tuple[str, ...]) -> None:
    if _state is not None and _state.config == config and _state.extra_rule_dirs == extra_rule_dirs:
        i18n.set_language(config.language)
        return  # forked from the parent, which has loaded the rules and their pre-filters
    _init(config, extra_rule_dirs)


class _FileScan:
    """Scans one file (or archive member) into a batch result."""

    def __init__(self, state: _State, result: BatchResult) -> None:
        self.state = state
        self.result = result

    # -- findings -----------------------------------------------------------------
    def finding(
        self, rule: Rule, ctx: FileContext, hit: Hit, root: str, charged: set[str]
    ) -> Finding | None:
        line, column = hit.line, hit.column
        if hit.offset is not None and ctx.text:
            line, column = ctx.position(hit.offset)
        considered = self.state.considered
        if hit.per_target is not None:
            per_target = {t: s for t, s in hit.per_target.items() if t in considered}
        else:
            per_target = {t: s.value for t, s in rule.verdicts.items() if t in considered}
            if rule.family is Family.CPU and line is not None and ctx.kinds & _C_KINDS:
                per_target = _kept(ctx, line, per_target)
            elif rule.family is Family.CPU and ctx.text and not ctx.data:
                per_target = _elsewhere(ctx.path, per_target)
        if not per_target:
            return None
        snippet = hit.snippet
        if snippet is None and line is not None and ctx.text:
            snippet = ctx.line_text(line).strip()[:200]
        minutes = rule.effort.total_minutes
        if rule.effort.per == "file":
            if rule.code in charged:
                minutes = 0.0
            charged.add(rule.code)
        remark = hit.remark or (rule.remark.local() if rule.remark else None)
        return Finding(
            rule=rule.code,
            family=rule.family.value,
            path=ctx.path,
            line=line,
            column=column,
            severity=worst([Severity(s) for s in per_target.values()]).value,
            per_target=per_target,
            effort_minutes=minutes,
            message=hit.message or rule.title.local(),
            snippet=snippet,
            remark=remark,
            title=rule.title.local(),
            confidence=hit.confidence or rule.confidence,
            detail={k: v for k, v in hit.detail.items() if not k.startswith("_")},
            root=root,
        )

    def note(self, code: str, path: str, root: str, message: str) -> None:
        """A finding of the scanner's own (SCN rules): unreadable, huge, undecodable…"""
        rule = self.state.registry.rules.get(code)
        if rule is None or code in self.state.config.disable:
            return
        ctx = FileContext(path, frozenset(), language_of(()))
        found = self.finding(
            rule, ctx, Hit(message=f"{rule.title.local()}: {message}"), root, set()
        )
        if found is not None:
            found.snippet = None
            self.result.findings.append(found)

    # -- rules ----------------------------------------------------------------------
    def apply(self, ctx: FileContext, root: str) -> None:
        plan = self.state.plan(ctx.kinds)
        if plan is None:
            return
        gate: FileGate | None = None
        haystack = ""
        if ctx.text:
            gate = FileGate(plan, ctx.text, ctx.lower)
        else:
            haystack = "\n".join(m.code for m in ctx.vba_modules).lower()
        suppressions = suppress.find(ctx) if ctx.text else suppress.Suppressions()
        charged: set[str] = set()
        statement_rules: dict[tuple[int, int], list[str]] = {}
        sql_findings: list[tuple[Finding, Rule, tuple[int, int]]] = []
        for rule_gate in plan.gates:
            rule = rule_gate.rule
            if gate is None:
                if rule.keywords and not any(k in haystack for k in rule.keywords):
                    continue
            else:
                if rule.keywords and not gate.any_keyword(rule.keywords):
                    continue
                if rule_gate.needs is not None:
                    patterns = gate.patterns(rule_gate)
                    if not patterns:
                        continue  # none of its patterns can match: they would find nothing
                    ctx.patterns[rule.code] = patterns
                    if rule_gate.finders:
                        ctx.finders.update(gate.finders(rule_gate))
                    if rule_gate.view_finders:
                        ctx.view_finders.update(gate.view_finders(rule_gate))
            matcher = self.state.matchers[rule.matcher]
            for hit in matcher(rule, ctx):
                target_rule = rule if hit.rule is None else self.state.registry.rules[hit.rule]
                found = self.finding(target_rule, ctx, hit, root, charged)
                if found is None or suppressions.silences(found.rule, found.line):
                    continue
                self.result.findings.append(found)
                key = hit.detail.get("_statement")
                if isinstance(key, tuple):
                    statement_rules.setdefault(key, []).append(found.rule)
                    sql_findings.append((found, target_rule, key))
        if "sql_units" in ctx.__dict__ or ctx.kinds & _DB_SOURCE_KINDS:
            self.objects(ctx, root, statement_rules)
        if sql_findings and self.state.dialects:
            self.rewrites(ctx, sql_findings)

    def objects(
        self, ctx: FileContext, root: str, statement_rules: dict[tuple[int, int], list[str]]
    ) -> None:
        if not self.state.considered & {
            t for t, v in TARGETS.items() if v.family is Family.DATABASE
        }:
            return
        append = self.result.objects.append
        for unit_index, unit in enumerate(ctx.sql_units):
            for index, statement in enumerate(unit.statements):
                if statement.object_type == "OTHER":
                    continue
                line, _col = ctx.position(unit.file_offset(statement.start))
                rules = statement_rules.get((unit_index, index))
                append(
                    SqlObject(
                        path=ctx.path,
                        line=line,
                        object_type=statement.object_type,
                        name=statement.name,
                        rules=sorted(set(rules)) if rules else [],
                        root=root,
                    )
                )

    def rewrites(
        self, ctx: FileContext, found: list[tuple[Finding, Rule, tuple[int, int]]]
    ) -> None:
        from xinchuang.scan import rewrite

        by_statement: dict[tuple[int, int], list[tuple[Finding, Rule]]] = {}
        for finding, rule, key in found:
            by_statement.setdefault(key, []).append((finding, rule))
        for (unit_index, index), items in by_statement.items():
            unit = ctx.sql_units[unit_index]
            statement = unit.statements[index]
            text = unit.text[statement.start : statement.end]
            if unit.origin == "mapper":
                text = unit.text[statement.start : statement.end]
                text = text[text.find(">") + 1 : text.rfind("<")] if "<" in text else text
            trees = rewrite.oracle_trees(text)
            parsed = trees is not None
            patterns = [p for _f, r in items for p in r.compiled]
            rewritten: dict[str, str] = {}
            if trees is not None:
                last = len(self.state.dialects) - 1
                for number, (dialect, targets) in enumerate(self.state.dialects.items()):
                    out = rewrite.transpile_trees(trees, dialect, patterns, last_use=number == last)
                    if out is not None:
                        rewritten[dialect] = out
                        for target in targets:
                            rewritten.setdefault(f"target:{target}", dialect)
            for finding, _rule in items:
                finding.detail["parser"] = "sqlglot" if parsed else "tokenizer"
                dialect_rewrites = {
                    k: v for k, v in rewritten.items() if not k.startswith("target:")
                }
                if dialect_rewrites:
                    finding.detail["rewrite"] = dialect_rewrites

    # -- files ----------------------------------------------------------------------
    def text_file(
        self, path: str, kinds: tuple[str, ...], data: bytes, root: str, real: Path | None
    ) -> None:
        if b"\x00" in data[:8192]:
            self.note(
                "SCN106", path, root, _("binary content in a {kind} file").format(kind=kinds[0])
            )
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as error:
                self.note(
                    "SCN102",
                    path,
                    root,
                    _("neither UTF-8 nor GB18030 (byte {offset})").format(offset=error.start),
                )
                return
        ctx = FileContext(path, frozenset(kinds), language_of(kinds), text=text, real_path=real)
        if ctx.kinds & {"vba", "vbscript"}:
            from xinchuang.scan.context import VbaModule

            ctx.vba_modules = [VbaModule(path.rsplit("/", 1)[-1], text.replace("\r\n", "\n"))]
        self.result.stats.lines += ctx.line_count
        self.apply(ctx, root)

    def binary_file(
        self,
        path: str,
        kinds: tuple[str, ...],
        data: bytes,
        root: str,
        real: Path | None,
        depth: int,
    ) -> None:
        kind_set = frozenset(kinds)
        ctx = FileContext(path, kind_set, language_of(kinds), data=data, real_path=real)
        if kind_set & {"ole", "ooxml"}:
            modules, error = extract_vba(data, path.rsplit("/", 1)[-1])
            if error:
                self.note("SCN103", path, root, error)
            ctx.vba_modules = modules
            self.result.documents.append(
                Document(path=path, macros=bool(modules), modules=len(modules), root=root)
            )
        if "der" in kind_set and data.startswith(b"-----BEGIN"):
            ctx.text = data.decode("ascii", "replace")
        self.apply(ctx, root)
        if kind_set & {"archive", "wheel"}:
            self.archive(path, data, root, depth)

    def archive(self, path: str, data: bytes, root: str, depth: int) -> None:
        limits = self.state.config.limits
        if depth >= limits.max_depth:
            self.note(
                "SCN104",
                path,
                root,
                _("nested deeper than {depth} archives").format(depth=limits.max_depth),
            )
            return
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            self.note(
                "SCN103", path, root, _("not a readable ZIP archive: {error}").format(error=error)
            )
            return
        natives: dict[str, str] = {}
        total = 0
        with archive:
            if len(members) > limits.max_members:
                self.note(
                    "SCN104",
                    path,
                    root,
                    _("{count} members, more than {limit}").format(
                        count=len(members), limit=limits.max_members
                    ),
                )
                members = members[: limits.max_members]
            for member in members:
                if member.is_dir():
                    continue
                name = member.filename
                kinds = kinds_for(name)
                native = name.lower().endswith((".so", ".dll", ".dylib", ".jnilib"))
                if not kinds and not native:
                    continue
                inner = f"{path}!/{name}"
                ratio = member.file_size / max(1, member.compress_size)
                if member.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                    self.note(
                        "SCN104",
                        inner,
                        root,
                        _("compression ratio {ratio:.0f}:1").format(ratio=ratio),
                    )
                    continue
                if member.file_size > limits.max_file_bytes:
                    self.note(
                        "SCN101", inner, root, _("{size} bytes").format(size=member.file_size)
                    )
                    continue
                total += member.file_size
                if total > limits.max_archive_bytes:
                    self.note(
                        "SCN104",
                        path,
                        root,
                        _("more than {limit} bytes uncompressed").format(
                            limit=limits.max_archive_bytes
                        ),
                    )
                    return
                try:
                    content = archive.read(member)
                except (
                    zipfile.BadZipFile,
                    OSError,
                    ValueError,
                    EOFError,
                    NotImplementedError,
                ) as error:
                    self.note("SCN103", inner, root, str(error))
                    continue
                if native:
                    machine = elf_machine(content)
                    pe = pe_machine(content) if machine is None else None
                    if machine is not None:
                        natives[name] = machine
                    elif pe is not None:
                        natives[name] = {0x14C: "EM_386", 0x8664: "EM_X86_64"}.get(
                            pe[0], hex(pe[0])
                        )
                    kinds = ("elf",) if machine else ("pe",) if pe else kinds
                self.file(inner, refine(kinds, content[:4096]), content, root, None, depth + 1)
        self.natives(path, root, natives)

    def natives(self, path: str, root: str, natives: dict[str, str]) -> None:
        """ISA132: an archive whose native libraries exist for x86 only."""
        if not natives:
            return
        x86 = [n for n, m in natives.items() if m in ("EM_X86_64", "EM_386")]
        portable = [
            n
            for n, m in natives.items()
            if m not in ("EM_X86_64", "EM_386")
            or any(f"/{d}/" in f"/{n.lower()}" for d in _PORTABLE_NATIVE_DIRS)
        ]
        if x86 and not portable:
            rule = self.state.registry.rules.get("ISA132")
            if rule is None or rule.code not in {
                r.code for rs in self.state.by_kind.values() for r in rs
            }:
                return
            ctx = FileContext(path, frozenset({"archive"}), language_of(()))
            hit = Hit(
                snippet=", ".join(sorted(x86)[:4]),
                message=_("{title}: {count} x86 libraries, none for ARM64 or LoongArch").format(
                    title=rule.title.local(), count=len(x86)
                ),
                detail={"libraries": sorted(x86)},
            )
            found = self.finding(rule, ctx, hit, root, set())
            if found is not None:
                self.result.findings.append(found)

    def file(
        self,
        path: str,
        kinds: tuple[str, ...],
        data: bytes,
        root: str,
        real: Path | None,
        depth: int = 0,
    ) -> None:
        self.result.stats.files += 1
        self.result.stats.bytes += len(data)
        if set(kinds) & BINARY_KINDS:
            self.binary_file(path, kinds, data, root, real, depth)
        elif any(k in TEXT_KINDS for k in kinds):
            self.text_file(path, kinds, data, root, real)

    def entry(self, entry: Entry) -> None:
        kinds = kinds_for(entry.rel)
        limits = self.state.config.limits
        if not kinds:
            if "." in entry.rel.rsplit("/", 1)[-1] or entry.size < 64:
                self.result.stats.skipped += 1
                return
            try:
                with open(entry.path, "rb") as handle:
                    head = handle.read(4)
            except OSError:
                self.result.stats.skipped += 1
                return
            kinds = refine((), head)
            if not kinds:
                self.result.stats.skipped += 1
                return
        if entry.size > limits.max_file_bytes:
            self.note(
                "SCN101",
                entry.rel,
                entry.root,
                _("{size} bytes, more than {limit}").format(
                    size=entry.size, limit=limits.max_file_bytes
                ),
            )
            return
        try:
            with open(entry.path, "rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
        except OSError as error:
            self.note("SCN103", entry.rel, entry.root, error.strerror or str(error))
            return
        kinds = refine(kinds, data[:4096])
        self.file(entry.rel, kinds, data, entry.root, Path(entry.path))


def scan_batch(batch: list[Entry | Escape]) -> BatchResult:
    """Scan a batch of files in this process (the worker's task)."""
    assert _state is not None, "the scanner state is set by _init"
    result = BatchResult()
    scanner = _FileScan(_state, result)
    for item in batch:
        if isinstance(item, Escape):
            scanner.note("SCN105", item.rel, item.root, item.target)
            continue
        try:
            scanner.entry(item)
        except RecursionError:
            scanner.note("SCN103", item.rel, item.root, _("too deeply nested to parse"))
        except MemoryError:
            scanner.note("SCN101", item.rel, item.root, _("too large to read in memory"))
    return result


def _batches(
    items: Iterable[Entry | Escape], max_files: int = 64, max_bytes: int = 1024 * 1024
) -> Iterator[list[Entry | Escape]]:
    batch: list[Entry | Escape] = []
    size = 0
    for item in items:
        batch.append(item)
        size += item.size if isinstance(item, Entry) else 0
        if len(batch) >= max_files or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run(
    roots: list[tuple[Path, str]],
    config: ScanConfig,
    *,
    jobs: int = 1,
    extra_rule_dirs: tuple[str, ...] = (),
) -> Iterator[BatchResult]:
    """Scan every root; yield each batch's result as soon as it is ready.

    ``roots`` pairs each directory (or file) with the name to show for it.
    """
    entries: Iterator[Entry | Escape] = (
        item for root, display in roots for item in walk(root, display, config.exclude)
    )
    batches = _batches(entries)
    if jobs <= 1:
        _init(config, extra_rule_dirs)
        for batch in batches:
            yield scan_batch(batch)
        return
    window = jobs * 3
    context = _context()
    if context.get_start_method() == "fork":
        # Load the rules once, here: the workers inherit them. (Each derives the
        # pre-filters of the file kinds it meets: fewer than all, and in parallel.)
        _init(config, extra_rule_dirs)
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_worker_init,
        initargs=(config, extra_rule_dirs),
    ) as pool:
        pending: set[Future[BatchResult]] = set()
        for batch in batches:
            pending.add(pool.submit(scan_batch, batch))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def default_jobs() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


__all__ = ["Scope", "default_jobs", "run", "scan_batch"]
