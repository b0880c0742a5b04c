"""``#if`` expressions evaluated in three values: true, false, or not decided (None).

The preprocessor of one target knows its own predefined macros and the ones the file
has defined so far; a macro that only the build would set (``-DHAVE_AVX2``, a
configure result in ``config.h``) leaves the condition open, and the evaluator says
so instead of choosing. ``0 && X`` is false and ``1 || X`` true whatever ``X`` is,
as in C (Kleene's logic); any other operation on an open value is open.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

Value = int | None  # None: not decided


@dataclass(frozen=True)
class Macro:
    """A ``#define``: object-like (``params`` None) or function-like."""

    body: str
    params: tuple[str, ...] | None = None


class Status:
    """What the preprocessor knows of a name: defined (with a macro), undefined, or open."""

    DEFINED = "defined"
    UNDEFINED = "undefined"
    OPEN = "open"


# name -> (status, macro when defined)
Lookup = Callable[[str], tuple[str, Macro | None]]
HeaderLookup = Callable[[str], Value]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(?P<char>'(?:\\.|[^'\\])+')|"
    r"(?P<name>[A-Za-z_]\w*)|(?P<str>\"(?:\\.|[^\"\\])*\"|<[^<>\s]+>)|"
    r"(?P<op>\|\||&&|==|!=|<=|>=|<<|>>|##|[-+*/%<>!~&|^?:(),#]))"
)
_HAS = frozenset(
    {
        "__has_builtin",
        "__has_attribute",
        "__has_feature",
        "__has_extension",
        "__has_cpp_attribute",
        "__has_c_attribute",
        "__has_declspec_attribute",
        "__has_warning",
        "__building_module",
        "__is_identifier",
        "__has_embed",
    }
)
_CHAR_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34}


class _Open(Exception):
    """The expression cannot be read (a syntax the evaluator does not know)."""


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of a preprocessor expression; kinds: num, char, name, str, op."""
    out: list[tuple[str, str]] = []
    position = 0
    length = len(text)
    while position < length:
        found = _TOKEN.match(text, position)
        if found is None:
            if text[position:].strip():
                raise _Open(text[position:])
            break
        kind = found.lastgroup or "op"
        out.append((kind, found.group(kind)))
        position = found.end()
    return out


def _char_value(text: str) -> int:
    inner = text[1:-1]
    if inner.startswith("\\"):
        return _CHAR_ESCAPES.get(inner[1:2], ord(inner[1:2] or "\\"))
    return ord(inner[0])


@dataclass
class Evaluation:
    """The value of a condition and the names that left it open."""

    value: Value
    open_names: tuple[str, ...] = ()


class _Expander:
    def __init__(self, lookup: Lookup, headers: HeaderLookup) -> None:
        self.lookup = lookup
        self.headers = headers
        self.open_names: list[str] = []

    def expand(self, items: list[tuple[str, str]], hidden: frozenset[str]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        index = 0
        while index < len(items):
            kind, text = items[index]
            if kind != "name":
                out.append((kind, text))
                index += 1
                continue
            if text == "defined":
                index, name = self._defined_operand(items, index + 1)
                status, _macro = self.lookup(name)
                if status == Status.OPEN:
                    self.open_names.append(name)
                    out.append(("open", name))
                else:
                    out.append(("num", "1" if status == Status.DEFINED else "0"))
                continue
            if text in ("__has_include", "__has_include_next"):
                index, argument = self._call_arguments(items, index + 1)
                header = "".join(t for _k, t in argument).strip('<>"')
                value = self.headers(header)
                out.append(("num", str(value)) if value is not None else ("open", text))
                if value is None:
                    self.open_names.append(f"__has_include(<{header}>)")
                continue
            if text in _HAS:
                index, _argument = self._call_arguments(items, index + 1)
                self.open_names.append(text)
                out.append(("open", text))
                continue
            if text in hidden:
                out.append(("num", "0"))
                index += 1
                continue
            status, macro = self.lookup(text)
            if status == Status.DEFINED and macro is not None:
                if macro.params is None:
                    body = self.expand(tokens(macro.body), hidden | {text})
                    out.extend(body)
                    index += 1
                    continue
                if index + 1 < len(items) and items[index + 1][1] == "(":
                    index, arguments = self._arguments(items, index + 1)
                    out.extend(self._substitute(macro, arguments, hidden | {text}))
                    continue
                out.append(("num", "0"))
                index += 1
                continue
            if status == Status.OPEN:
                self.open_names.append(text)
                out.append(("open", text))
                if index + 1 < len(items) and items[index + 1][1] == "(":
                    index, _arguments = self._arguments(items, index + 1)
                    continue
                index += 1
                continue
            # undefined: 0, as C says; a call of an undefined function-like name cannot be read
            if index + 1 < len(items) and items[index + 1][1] == "(":
                index, _arguments = self._arguments(items, index + 1)
                self.open_names.append(text)
                out.append(("open", text))
                continue
            out.append(("num", "0"))
            index += 1
        return out

    def _defined_operand(self, items: list[tuple[str, str]], index: int) -> tuple[int, str]:
        if index < len(items) and items[index][1] == "(":
            if index + 2 < len(items) and items[index + 2][1] == ")":
                return index + 3, items[index + 1][1]
            raise _Open("defined(")
        if index < len(items) and items[index][0] == "name":
            return index + 1, items[index][1]
        raise _Open("defined")

    def _call_arguments(
        self, items: list[tuple[str, str]], index: int
    ) -> tuple[int, list[tuple[str, str]]]:
        index, arguments = self._arguments(items, index)
        flat: list[tuple[str, str]] = []
        for argument in arguments:
            flat.extend(argument)
        return index, flat

    def _arguments(
        self, items: list[tuple[str, str]], index: int
    ) -> tuple[int, list[list[tuple[str, str]]]]:
        if index >= len(items) or items[index][1] != "(":
            raise _Open("(")
        depth = 0
        current: list[tuple[str, str]] = []
        arguments: list[list[tuple[str, str]]] = []
        while index < len(items):
            kind, text = items[index]
            if text == "(":
                depth += 1
                if depth == 1:
                    index += 1
                    continue
            elif text == ")":
                depth -= 1
                if depth == 0:
                    arguments.append(current)
                    return index + 1, arguments
            elif text == "," and depth == 1:
                arguments.append(current)
                current = []
                index += 1
                continue
            current.append((kind, text))
            index += 1
        raise _Open("unbalanced (")

    def _substitute(
        self, macro: Macro, arguments: list[list[tuple[str, str]]], hidden: frozenset[str]
    ) -> list[tuple[str, str]]:
        params = list(macro.params or ())
        body = tokens(macro.body)
        if any(text == "#" for _k, text in body):
            raise _Open("# in a macro")
        by_name: dict[str, list[tuple[str, str]]] = {}
        if params and params[-1] == "...":
            params.pop()
            rest = arguments[len(params) :]
            joined: list[tuple[str, str]] = []
            for number, argument in enumerate(rest):
                if number:
                    joined.append(("op", ","))
                joined.extend(argument)
            by_name["__VA_ARGS__"] = joined
        by_name.update(zip(params, arguments, strict=False))
        replaced: list[tuple[str, str]] = []
        for kind, text in body:
            if kind == "name" and text in by_name:
                replaced.extend(by_name[text])
            else:
                replaced.append((kind, text))
        if any(text == "##" for _k, text in replaced):
            replaced = _paste(replaced)
        return self.expand(replaced, hidden)


def _paste(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``a ## b``: the two tokens' texts joined into one token."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(items):
        kind, text = items[index]
        if text == "##" and out and index + 1 < len(items):
            left = out.pop()[1]
            joined = tokens(left + items[index + 1][1])
            out.extend(joined)
            index += 2
            continue
        if text != "##":
            out.append((kind, text))
        index += 1
    return out


class _Parser:
    """Precedence climbing over expanded tokens; values are int or None (open)."""

    _BINARY: ClassVar[dict[str, int]] = {
        "*": 10,
        "/": 10,
        "%": 10,
        "+": 9,
        "-": 9,
        "<<": 8,
        ">>": 8,
        "<": 7,
        ">": 7,
        "<=": 7,
        ">=": 7,
        "==": 6,
        "!=": 6,
        "&": 5,
        "^": 4,
        "|": 3,
        "&&": 2,
        "||": 1,
    }

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        self.index = 0

    def peek(self) -> str | None:
        return self.items[self.index][1] if self.index < len(self.items) else None

    def take(self) -> tuple[str, str]:
        if self.index >= len(self.items):
            raise _Open("end")
        item = self.items[self.index]
        self.index += 1
        return item

    def parse(self) -> Value:
        value = self.conditional()
        while self.peek() == ",":
            self.take()
            value = self.conditional()
        if self.index != len(self.items):
            raise _Open("trailing")
        return value

    def conditional(self) -> Value:
        condition = self.binary(1)
        if self.peek() != "?":
            return condition
        self.take()
        yes = self.conditional()
        if self.take()[1] != ":":
            raise _Open(":")
        no = self.conditional()
        if condition is None:
            return yes if yes == no else None
        return yes if condition else no

    def binary(self, minimum: int) -> Value:
        left = self.unary()
        while True:
            operator = self.peek()
            precedence = self._BINARY.get(operator or "")
            if precedence is None or precedence < minimum:
                return left
            self.take()
            right = self.binary(precedence + 1)
            left = _apply(operator or "", left, right)

    def unary(self) -> Value:
        kind, text = self.take()
        if text == "!":
            value = self.unary()
            return None if value is None else int(not value)
        if text == "-":
            value = self.unary()
            return None if value is None else -value
        if text == "+":
            return self.unary()
        if text == "~":
            value = self.unary()
            return None if value is None else ~value
        if text == "(":
            value = self.conditional()
            while self.peek() == ",":
                self.take()
                value = self.conditional()
            if self.take()[1] != ")":
                raise _Open(")")
            return value
        if kind == "num":
            return (
                int(text, 16)
                if text[:2] in ("0x", "0X")
                else int(text, 8 if text[0] == "0" and len(text) > 1 else 10)
            )
        if kind == "char":
            return _char_value(text)
        if kind == "open":
            return None
        if kind == "str":
            raise _Open("string")
        raise _Open(text)


def _apply(operator: str, left: Value, right: Value) -> Value:
    if operator == "&&":
        if left == 0 or right == 0:
            return 0
        return None if left is None or right is None else 1
    if operator == "||":
        if (left is not None and left != 0) or (right is not None and right != 0):
            return 1
        return None if left is None or right is None else 0
    if left is None or right is None:
        if operator == "*" and (left == 0 or right == 0):
            return 0
        return None
    if operator in ("/", "%") and right == 0:
        return None
    result: dict[str, Callable[[int, int], int]] = {
        "*": lambda a, b: a * b,
        "/": lambda a, b: int(a / b),
        "%": lambda a, b: a - b * int(a / b),
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "<<": lambda a, b: a << b if 0 <= b < 64 else 0,
        ">>": lambda a, b: a >> b if 0 <= b < 64 else 0,
        "<": lambda a, b: int(a < b),
        ">": lambda a, b: int(a > b),
        "<=": lambda a, b: int(a <= b),
        ">=": lambda a, b: int(a >= b),
        "==": lambda a, b: int(a == b),
        "!=": lambda a, b: int(a != b),
        "&": lambda a, b: a & b,
        "^": lambda a, b: a ^ b,
        "|": lambda a, b: a | b,
    }
    return result[operator](left, right)


def evaluate(text: str, lookup: Lookup, headers: HeaderLookup) -> Evaluation:
    """The value of an ``#if`` condition for one target's preprocessor.

    An expression the evaluator cannot read is open, with the condition as the reason.
    """
    expander = _Expander(lookup, headers)
    try:
        expanded = expander.expand(tokens(text), frozenset())
        value = _Parser(expanded).parse()
    except (_Open, RecursionError, ValueError, IndexError):
        return Evaluation(None, (text.strip()[:60],))
    names = tuple(dict.fromkeys(expander.open_names)) if value is None else ()
    return Evaluation(value, names)
