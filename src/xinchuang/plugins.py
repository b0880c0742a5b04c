"""One registry mechanism for built-ins and third parties: typed entry-point groups.

Built-in readers are declared in xinchuang's own ``pyproject.toml`` under
``[project.entry-points."xinchuang.readers"]``, exactly as a plugin would.
Groups load lazily, on first lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar

from rapidfuzz import process

from xinchuang.errors import PluginError, UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class Registered(Generic[T]):
    """A loaded plugin: its key, the object, and the distribution that provides it."""

    key: str
    obj: type[T]
    distribution: str


class Registry(Generic[T]):
    """The plugins of one entry-point group, checked against a base class."""

    def __init__(self, group: str, base: type[T], noun: str) -> None:
        self.group = group
        self.base = base
        self.noun = noun
        self._loaded: dict[str, Registered[T]] | None = None

    def _entry_points(self) -> list[EntryPoint]:
        return sorted(entry_points(group=self.group), key=lambda ep: ep.name)

    def _load(self) -> dict[str, Registered[T]]:
        if self._loaded is not None:
            return self._loaded
        loaded: dict[str, Registered[T]] = {}
        for ep in self._entry_points():
            dist = ep.dist.name if ep.dist else "?"
            if ep.name in loaded:
                raise PluginError(
                    f"{self.noun} {ep.name!r} is registered twice "
                    f"({loaded[ep.name].distribution} and {dist})"
                )
            try:
                obj = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"{self.noun} {ep.name!r} from {dist} failed to load: {exc}"
                ) from exc
            if not (isinstance(obj, type) and issubclass(obj, self.base)):
                raise PluginError(
                    f"{self.noun} {ep.name!r} from {dist} is not a {self.base.__name__}"
                )
            loaded[ep.name] = Registered(ep.name, obj, dist)
        self._loaded = loaded
        return loaded

    def keys(self) -> list[str]:
        """Every registered key, sorted."""
        return sorted(self._load())

    def all(self) -> list[Registered[T]]:
        """Every registered plugin, by key."""
        return [self._load()[key] for key in self.keys()]

    def get(self, key: str) -> type[T]:
        """The plugin for ``key`` (loading only that one); 'Did you mean …?' when unknown."""
        if self._loaded is not None and key in self._loaded:
            return self._loaded[key].obj
        names = [ep.name for ep in self._entry_points()]
        matching = [ep for ep in self._entry_points() if ep.name == key]
        if len(matching) == 1:
            ep = matching[0]
            dist = ep.dist.name if ep.dist else "?"
            try:
                obj = ep.load()
            except Exception as exc:
                raise PluginError(f"{self.noun} {key!r} from {dist} failed to load: {exc}") from exc
            if not (isinstance(obj, type) and issubclass(obj, self.base)):
                raise PluginError(f"{self.noun} {key!r} from {dist} is not a {self.base.__name__}")
            return obj
        if len(matching) > 1:
            return self._load()[key].obj  # raises the duplicate-key error
        plugins = dict.fromkeys(names)
        guess = process.extractOne(key, list(plugins))
        hint = f"; did you mean {guess[0]!r}?" if guess and guess[1] >= 60 else ""
        raise UsageError(
            f"unknown {self.noun} {key!r}{hint}",
            tip=f"known: {', '.join(sorted(plugins))}",
        )
