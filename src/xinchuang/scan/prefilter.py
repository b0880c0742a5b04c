"""Which rules can match a file, found in one pass over its text.

Most rules match nothing in most files, and running a rule's regular
expressions over a large file is the costliest thing the scanner does (a
pattern that starts with ``\\b`` or a class gets no literal-prefix search in
:mod:`re`, so it is tried at every offset). So before any rule runs:

- every pattern yields, from its parse tree, a set of *required literals*:
  text that any match must contain at least one of (``\\bSHA1_(?:Init|Final)\\s*\\(``
  needs ``SHA1_Init`` or ``SHA1_Final``). Case-insensitive patterns need their
  literals in the file :func:`folded` to lower case;
- the file's :class:`Trigrams` (hashed into a bitmap by a few numpy
  operations, whatever the number of rules) tell which of all those literals,
  and of the rules' keywords, it may hold; ``in`` confirms the few candidates;
- a pattern none of whose literals is present cannot match, so it is not run;
  a rule none of whose patterns can match is not run at all.

Literals are looked up in the file's raw text, while rules match a *view* of
it (comments blanked, SQL extracted…). A view holds either the file's own
character at an offset or a character the view put there (a blank, or in SQL
views ``_``, ``?`` and the characters of XML entities), so a literal made of
none of the characters a view may insert is in the view only where it is in
the text. :data:`VIEW_INSERTS` lists those characters per scope; a literal
containing one is cut there.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from xinchuang.scan.rule import Rule

# How common a character is in source code (C, Java, SQL, XML), most common first.
# Literals and scan keys are chosen to be made of rare characters.
_COMMON = " ,et10isrnoa\nc_2ldu)(p3fm4*=h659S.ET78;gR{}IbyLNO\"-AxDC/'vPM"
_WEIGHT = {ch: 1.0 + 2.0 * index / len(_COMMON) for index, ch in enumerate(_COMMON)}
_RARE = 4.0

# Characters that a view of the text may hold where the text holds another character.
VIEW_INSERTS: dict[str, frozenset[str]] = {
    "code": frozenset(" "),  # comments and string contents blanked
    "nocomment": frozenset(" "),
    "raw": frozenset(),
    "strings": frozenset(),  # literal values are slices of the text
    # SQL*Plus lines blanked, &var → ___, #{x} → ?, &lt; → <, string pieces joined by blanks
    "sql": frozenset(" _?<>&\"'"),
}

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter, mapped to it
# (checked against every code point in tests/scan/test_prefilter.py).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})

_LIMIT = 64  # the most strings an exact set may hold before it is cut


def folded(text: str) -> str:
    """``text`` in lower case such that a case-insensitive ASCII literal is in it as lower case."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD).lower()


def _rarity(text: str) -> float:
    return sum(_WEIGHT.get(ch, _RARE) for ch in text)


def _score(options: frozenset[str]) -> float:
    """How selective "one of ``options`` is present" is: its least rare member."""
    return min(_rarity(s) for s in options) if options and "" not in options else -1.0


Needs = tuple[frozenset[str], ...]  # every set must have a member in the text


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: one of ``exact``; text holding one of each ``need``."""

    exact: frozenset[str] | None = None
    need: Needs = ()

    def requirement(self) -> Needs:
        """Every set of literals a match must hold one of (the exact set is one)."""
        sets = [s for s in (*self.need, self.exact) if s is not None and _score(s) > 0]
        return tuple(dict.fromkeys(sets))

    def best(self) -> frozenset[str] | None:
        """The most selective of the sets."""
        sets = self.requirement()
        return max(sets, key=_score) if sets else None


_UNKNOWN = _Info()
_EMPTY = _Info(exact=frozenset({""}))
_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})


def _modules() -> tuple[ModuleType, ModuleType]:
    return importlib.import_module("re._parser"), importlib.import_module("re._constants")


class _Analysis:
    """Required literals of one pattern, from :mod:`re`'s parse tree."""

    def __init__(self, ignore_case: bool, inserts: frozenset[str]) -> None:
        self.ignore_case = ignore_case
        self.inserts = inserts
        _parser, constants = _modules()
        self.ignorecase_flag: int = constants.SRE_FLAG_IGNORECASE

    def char(self, code: int) -> str | None:
        ch = chr(code)
        if ch in self.inserts:
            return None
        if self.ignore_case:
            if not ch.isascii():
                return None
            return ch.lower()
        return ch

    def sequence(self, items: Iterable[tuple[Any, Any]]) -> _Info:
        run = frozenset({""})  # the exact strings of the current stretch of known text
        whole: frozenset[str] | None = frozenset({""})
        needs: list[frozenset[str]] = []
        for op, av in items:
            info = self.node(str(op), av)
            if info.exact is not None:
                if len(run) * len(info.exact) <= _LIMIT:
                    run = frozenset(a + b for a in run for b in info.exact)
                else:
                    needs.append(run)
                    run = info.exact
            else:
                needs.append(run)
                needs.extend(info.need)
                run = frozenset({""})
            if whole is not None:
                if info.exact is None or len(whole) * len(info.exact) > _LIMIT:
                    whole = None
                else:
                    whole = frozenset(a + b for a in whole for b in info.exact)
        needs.append(run)
        return _Info(exact=whole, need=tuple(s for s in needs if _score(s) > 0))

    def starts(self, items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
        """Strings one of which every match starts with (None: not known, or may be empty)."""
        heads = frozenset({""})
        for op, av in items:
            name = str(op)
            if name in _ZERO_WIDTH:
                continue
            info = self.node(name, av)
            if info.exact is not None and len(heads) * len(info.exact) <= _LIMIT:
                heads = frozenset(a + b for a in heads for b in info.exact)
                continue
            head = self.head(name, av)
            if head is not None and len(heads) * len(head) <= _LIMIT:
                heads = frozenset(a + b for a in heads for b in head)
            break
        return heads if heads and "" not in heads else None

    def head(self, name: str, av: Any) -> frozenset[str] | None:
        """What a match of one item starts with, for items that are not exact."""
        if name == "BRANCH":
            heads: set[str] = set()
            for sub in av[1]:
                starts = self.starts(sub.data)
                if starts is None:
                    return None
                heads |= starts
            return frozenset(heads)
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & self.ignorecase_flag:
                return None
            return self.starts(sub.data)
        if name == "ATOMIC_GROUP":
            return self.starts(av.data)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            return self.starts(av[2].data)
        return None

    def node(self, name: str, av: Any) -> _Info:
        if name == "LITERAL":
            ch = self.char(av)
            return _UNKNOWN if ch is None else _Info(exact=frozenset({ch}))
        if name == "IN":
            chars: set[str] = set()
            for op, value in av:
                if str(op) != "LITERAL":
                    return _UNKNOWN
                ch = self.char(value)
                if ch is None:
                    return _UNKNOWN
                chars.add(ch)
            return _Info(exact=frozenset(chars)) if 0 < len(chars) <= 8 else _UNKNOWN
        if name in _ZERO_WIDTH:
            return _EMPTY  # zero width: whatever it asserts, it adds no text
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & self.ignorecase_flag:
                return _UNKNOWN
            return self.sequence(sub.data)
        if name == "ATOMIC_GROUP":
            return self.sequence(av.data)
        if name == "BRANCH":
            alternatives = [self.sequence(sub.data) for sub in av[1]]
            exact: frozenset[str] | None = None
            if all(a.exact is not None for a in alternatives):
                union = frozenset().union(*(a.exact for a in alternatives if a.exact is not None))
                exact = union if len(union) <= _LIMIT else None
            bests: list[frozenset[str]] = []
            for alternative in alternatives:
                best = alternative.best()
                if best is None:
                    return _Info(exact=exact)
                bests.append(best)
            return _Info(exact=exact, need=(frozenset().union(*bests),))
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            info = self.sequence(sub.data)
            if low == 0:
                if high == 1 and info.exact is not None and len(info.exact) < _LIMIT:
                    return _Info(exact=info.exact | {""})
                return _UNKNOWN
            if low == high == 1:
                return info
            return _Info(need=info.requirement())  # one repetition at least
        return _UNKNOWN


def _minimal(options: frozenset[str]) -> frozenset[str]:
    """Drop every option that holds another option (the shorter one is present whenever it is)."""
    ordered = sorted(options, key=len)
    kept: list[str] = []
    for option in ordered:
        if not any(k in option for k in kept):
            kept.append(option)
    return frozenset(kept)


_MOST_SETS = 4


@cache
def required_literals(
    pattern: str, ignore_case: bool, inserts: frozenset[str] = frozenset()
) -> tuple[Needs, bool] | None:
    """Sets of literals such that every match of ``pattern`` holds one of each set.

    None when no literal is known. The sets come most selective first. The flag
    says the literals are lower case, to be looked up in :func:`folded` text (the
    pattern ignores case, by ``ignore_case`` or an inline ``(?i)``). ``inserts``
    are characters the literals must not hold (see :data:`VIEW_INSERTS`).
    """
    parser, constants = _modules()
    try:
        flags = re.IGNORECASE if ignore_case else 0
        tree = parser.parse(pattern, flags)
        ignore_case = bool(tree.state.flags & constants.SRE_FLAG_IGNORECASE)
        result = _Analysis(ignore_case, inserts).sequence(tree.data).requirement()
    except (re.error, AttributeError, IndexError, TypeError, ValueError):
        return None  # a parse tree of an unexpected shape only means no pre-filter
    if not result:
        return None
    sets = sorted({_minimal(s) for s in result}, key=_score, reverse=True)
    return tuple(sets[:_MOST_SETS]), ignore_case


@cache
def start_finder(
    pattern: str, ignore_case: bool, inserts: frozenset[str] = frozenset()
) -> tuple[re.Pattern[str], bool] | None:
    """An expression that finds every offset where ``pattern`` may start a match, and fast.

    It is an alternation of the literals every match starts with (``\\bSHA1_Init\\s*\\(``
    starts with ``SHA1_Init``), which :mod:`re` searches for with its literal-prefix
    scan, while a pattern starting with ``\\b`` or a look-behind is tried at every
    offset. The flag says the finder reads :func:`folded` text. None when the
    pattern has no such literals. :func:`matches` uses it.
    """
    parser, constants = _modules()
    try:
        tree = parser.parse(pattern, re.IGNORECASE if ignore_case else 0)
        ignore_case = bool(tree.state.flags & constants.SRE_FLAG_IGNORECASE)
        starts = _Analysis(ignore_case, inserts).starts(tree.data)
    except (re.error, AttributeError, IndexError, TypeError, ValueError):
        return None
    if starts is None:
        return None
    shortest = sorted(starts, key=len)
    kept = [s for i, s in enumerate(shortest) if not any(s.startswith(k) for k in shortest[:i])]
    return re.compile("|".join(re.escape(s) for s in kept)), ignore_case


def matches(
    pattern: re.Pattern[str], view: str, finder: re.Pattern[str], haystack: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(view)``, trying ``pattern`` only where ``finder`` finds a start.

    ``haystack`` has the offsets of ``view`` and holds every literal ``finder``
    looks for wherever ``view`` does. Every match starts with a literal, so is
    not empty, and the next search starts where it ends, as ``finditer``'s does.
    """
    position = 0
    search = finder.search
    match = pattern.match
    while True:
        candidate = search(haystack, position)
        if candidate is None:
            return
        start = candidate.start()
        found = match(view, start)
        if found is None:
            position = start + 1
            continue
        yield found
        position = found.end()


_TRIGRAM_BITS = 20
_MULTIPLIER = np.uint32(2654435761)  # Knuth's multiplicative hash
_SHIFT = np.uint32(32 - _TRIGRAM_BITS)


def _hashes(data: bytes) -> npt.NDArray[np.uint32]:
    """The hashed trigrams of ``data``, one per offset."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(raw) < 3:
        return np.zeros(0, dtype=np.uint32)
    wide = raw.astype(np.uint32)
    codes = (wide[:-2] << np.uint32(16)) | (wide[1:-1] << np.uint32(8)) | wide[2:]
    hashed: npt.NDArray[np.uint32] = (codes * _MULTIPLIER) >> _SHIFT
    return hashed


class Trigrams:
    """Which three-byte sequences a :func:`folded` text holds (hashed into a bitmap).

    An ASCII literal is in a text only if its lower case is in the folded text,
    and a keyword is in ``text.lower()`` only if it is in the folded text (the two
    differ only where the folded one has the ASCII letter), so one bitmap serves
    case-sensitive literals, case-insensitive ones and keywords.
    """

    def __init__(self, text: str) -> None:
        self.table = np.zeros(1 << _TRIGRAM_BITS, dtype=np.bool_)
        self.table[_hashes(text.encode("utf-8", "surrogatepass"))] = True


class LiteralSet:
    """A fixed set of literals, to find which of them a text holds.

    :meth:`candidates` is a superset, computed from the text's :class:`Trigrams`
    in a few array operations whatever the number of literals: a literal of three
    ASCII characters or more is a candidate only if all its trigrams occur. A
    candidate is then confirmed with ``in`` by the caller, so the answer is exact.
    """

    def __init__(self, literals: Iterable[str]) -> None:
        unique = sorted({lit for lit in literals if lit})
        self.indexed = [lit for lit in unique if len(lit) >= 3 and lit.isascii()]
        self.always = [lit for lit in unique if not (len(lit) >= 3 and lit.isascii())]
        parts = [_hashes(lit.lower().encode("ascii")) for lit in self.indexed]
        self.codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
        lengths = [len(part) for part in parts[:-1]]
        self.starts = np.cumsum([0, *lengths], dtype=np.intp) if parts else np.zeros(0, np.intp)

    def candidates(self, trigrams: Trigrams) -> set[str]:
        """The literals that may occur in the text (all that do, and maybe a few more)."""
        found = set(self.always)
        if self.indexed:
            every = np.logical_and.reduceat(trigrams.table[self.codes], self.starts)
            found.update(self.indexed[i] for i in np.flatnonzero(every).tolist())
        return found


@dataclass(frozen=True)
class RuleGate:
    """A rule and, per pattern, the literals one of which a file must hold for it to match.

    ``needs`` is None when the rule's matcher does not run its patterns over a
    view of the text (it is gated by its keywords only); an entry is None for a
    pattern with no known literal (it always runs).
    """

    rule: Rule
    needs: tuple[tuple[Needs, bool] | None, ...] | None
    # per pattern, its start finder (see :func:`matches`) when its view has the text's offsets
    finders: tuple[tuple[re.Pattern[str], bool] | None, ...] = ()
    # per pattern, its start finder, to run over the view itself (SQL views)
    view_finders: tuple[tuple[re.Pattern[str], bool] | None, ...] = ()

    @classmethod
    def of(cls, rule: Rule) -> RuleGate:
        """The gate of ``rule``."""
        inserts = VIEW_INSERTS.get(rule.scope.value)
        if rule.matcher not in _PATTERN_MATCHERS or inserts is None or not rule.patterns:
            return cls(rule, None)
        needs = tuple(required_literals(p, rule.ignore_case, inserts) for p in rule.patterns)
        if rule.scope.value in _SAME_OFFSETS:
            finders = tuple(start_finder(p, rule.ignore_case, inserts) for p in rule.patterns)
            return cls(rule, needs, finders)
        if rule.scope.value == "sql":  # the finders read each SQL view itself
            finders = tuple(start_finder(p, rule.ignore_case) for p in rule.patterns)
            return cls(rule, needs, view_finders=finders)
        return cls(rule, needs)


# Views that are the text itself or the text with characters blanked (same offsets).
_SAME_OFFSETS = frozenset({"code", "nocomment", "raw"})


_PATTERN_MATCHERS = frozenset({"regex", "whole-file"})


class KindPlan:
    """The rules for one set of file kinds, and every literal and keyword they look for."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.gates = [RuleGate.of(rule) for rule in rules]
        words: set[str] = set()
        for gate in self.gates:
            words.update(gate.rule.keywords)
            for need in gate.needs or ():
                if need is not None:
                    for literals in need[0]:
                        words.update(literals)
        self.words = LiteralSet(words)


class FileGate:
    """What one text file holds of a :class:`KindPlan`'s keywords and literals."""

    def __init__(self, plan: KindPlan, text: str, lower: str) -> None:
        self.text = text
        self.lower = lower
        self.folded = lower if text.isascii() else folded(text)
        self.candidates = plan.words.candidates(Trigrams(self.folded))
        self._seen: dict[tuple[str, int], bool] = {}

    def _holds(self, word: str, where: int) -> bool:
        key = (word, where)
        known = self._seen.get(key)
        if known is None:
            if word not in self.candidates:
                known = False
            else:
                known = word in (self.text, self.lower, self.folded)[where]
            self._seen[key] = known
        return known

    def any_keyword(self, keywords: Iterable[str]) -> bool:
        """True when ``text.lower()`` holds one of ``keywords`` (the rules' cheap pre-filter)."""
        return any(self._holds(k, 1) for k in keywords)

    def patterns(self, gate: RuleGate) -> list[re.Pattern[str]]:
        """The rule's compiled patterns that can match this file."""
        compiled = gate.rule.compiled
        if gate.needs is None:
            return compiled
        out = []
        for pattern, need in zip(compiled, gate.needs, strict=True):
            if need is None:
                out.append(pattern)
                continue
            sets, ignore_case = need
            where = 2 if ignore_case else 0
            if all(any(self._holds(lit, where) for lit in literals) for literals in sets):
                out.append(pattern)
        return out

    @staticmethod
    def view_finders(gate: RuleGate) -> dict[re.Pattern[str], tuple[re.Pattern[str], bool]]:
        """For the rule's patterns that have one, the start finder to run over their view."""
        return {
            pattern: finder
            for pattern, finder in zip(gate.rule.compiled, gate.view_finders, strict=False)
            if finder is not None
        }

    def finders(self, gate: RuleGate) -> dict[re.Pattern[str], tuple[re.Pattern[str], str]]:
        """For the rule's patterns that have one, the start finder and the text it reads."""
        out: dict[re.Pattern[str], tuple[re.Pattern[str], str]] = {}
        for pattern, finder in zip(gate.rule.compiled, gate.finders, strict=False):
            if finder is None:
                continue
            expression, ignore_case = finder
            if not ignore_case:
                out[pattern] = (expression, self.text)
            elif len(self.folded) == len(self.text):
                # lower case never drops a character, so the same length means that every
                # character became one: the offsets are the text's
                out[pattern] = (expression, self.folded)
        return out


__all__ = [
    "VIEW_INSERTS",
    "FileGate",
    "KindPlan",
    "LiteralSet",
    "RuleGate",
    "Trigrams",
    "folded",
    "matches",
    "required_literals",
    "start_finder",
]
