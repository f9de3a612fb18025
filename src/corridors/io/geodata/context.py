"""Where a value was read from, and the one call that reports a problem about it.

A :class:`Context` is a place in an input file (the file, a JSON pointer or a TOML key, the
id of the entity being read) plus the list that collects problems. Parsers step into a
record with :meth:`Context.at` and report with :meth:`Context.error` /
:meth:`Context.warning`; the notation of the place follows the file: JSON pointers
(``/features/3/properties/status``) for GeoJSON, TOML keys (``corridor[2].segments``) for
TOML, so a scenario's additions are located in its own TOML without any remapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from corridors.errors import Problem, problem

__all__ = ["Context", "IdRegistry", "Parsed", "Record"]

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """A place in an input file that problems are reported against.

    Parameters
    ----------
    file : str
        The file as shown to the user.
    where : str
        JSON pointer or TOML key of the place (``""`` for the whole file).
    entity : str or None
        Id of the entity the place belongs to, when known.
    toml : bool
        Join child keys TOML-style (``a.b[0]``) instead of as a JSON pointer (``/a/b/0``).
    problems : list of Problem
        Where problems are collected (shared with every child context).

    Examples
    --------
    >>> ctx = Context("nodes.geojson").at("features").at(3)
    >>> ctx.about("gwadar").at("properties").error("kind", "prot", "unknown kind 'prot'")
    >>> p = ctx.problems[0]
    >>> p.where, p.entity, p.field, p.value
    ('/features/3/properties', 'gwadar', 'kind', "'prot'")
    >>> Context("s.toml", "add.node", toml=True).at(0).at("coordinates").where
    'add.node[0].coordinates'
    """

    file: str
    where: str = ""
    entity: str | None = None
    toml: bool = False
    problems: list[Problem] = field(default_factory=list, compare=False, repr=False)

    def at(self, key: str | int) -> Context:
        """The place of ``key`` (a field name or a list index) inside this one."""
        if self.toml:
            if isinstance(key, int):
                where = f"{self.where}[{key}]"
            else:
                where = f"{self.where}.{key}" if self.where else key
        else:
            where = f"{self.where}/{key}"
        return Context(self.file, where, self.entity, self.toml, self.problems)

    def about(self, entity: str | None) -> Context:
        """The same place, reporting problems as belonging to ``entity``."""
        return Context(self.file, self.where, entity, self.toml, self.problems)

    def collecting(self, sink: list[Problem] | None = None) -> Context:
        """The same place collecting into ``sink`` (a fresh list by default)."""
        return Context(self.file, self.where, self.entity, self.toml, [] if sink is None else sink)

    def error(
        self,
        fld: str | None,
        value: Any,
        message: str,
        hint: str | None = None,
        code: str = "invalid",
    ) -> None:
        """Report an error about ``fld`` (value :data:`~corridors.errors.MISSING` if absent)."""
        self._report("error", fld, value, message, hint, code)

    def warning(
        self,
        fld: str | None,
        value: Any,
        message: str,
        hint: str | None = None,
        code: str = "invalid",
    ) -> None:
        """Report a warning (it never fails validation)."""
        self._report("warning", fld, value, message, hint, code)

    def _report(
        self,
        severity: str,
        fld: str | None,
        value: Any,
        message: str,
        hint: str | None,
        code: str,
    ) -> None:
        self.problems.append(
            problem(
                self.file,
                self.where,
                message,
                hint,
                code=code,
                entity=self.entity,
                field=fld,
                value=value,
                severity=severity,
            )
        )

    @property
    def failed(self) -> bool:
        """True when an error has been reported in this context's problem list."""
        return any(p.severity == "error" for p in self.problems)


@dataclass
class IdRegistry:
    """Ids declared so far, for duplicate detection across files.

    ``declared`` holds every id read, valid record or not: a reference to an invalid record
    is not reported again as "unknown" (one problem per cause).
    """

    seen: dict[str, tuple[str, str]] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)

    def register(self, ident: str, ctx: Context) -> bool:
        """Record ``ident`` at ``ctx``; report a duplicate and return False if already there."""
        self.declared.add(ident)
        if ident in self.seen:
            f0, p0 = self.seen[ident]
            ctx.about(ident).error(
                "id",
                ident,
                f"duplicate id '{ident}' (first defined at {f0} {p0})",
                "give each feature a unique id",
                code="duplicate-id",
            )
            return False
        self.seen[ident] = (ctx.file, ctx.where)
        return True

    def seed(self, idents: Any, file: str, where: str = "") -> None:
        """Mark ``idents`` as already defined in ``file`` (e.g. the atlas under additions)."""
        for ident in idents:
            self.seen.setdefault(ident, (file, where))
            self.declared.add(ident)


@dataclass(frozen=True)
class Record:
    """One record to parse: its fields, its geometry, and where each of them sits.

    A GeoJSON feature keeps its fields under ``/features/i/properties`` and its geometry
    under ``/features/i/geometry``; a TOML table (a scenario's ``[[add.node]]``) holds both
    at its own key, its position in a ``coordinates`` field.
    """

    props: Mapping[str, Any]
    geometry: Any
    ctx: Context
    props_ctx: Context
    geometry_ctx: Context

    @classmethod
    def from_feature(cls, index: int, feature: Mapping[str, Any], ctx: Context) -> Record:
        """Feature ``index`` of a FeatureCollection read at ``ctx`` (the file)."""
        fctx = ctx.at("features").at(index)
        return cls(
            feature["properties"],
            feature.get("geometry"),
            fctx,
            fctx.at("properties"),
            fctx.at("geometry"),
        )

    def collecting(self) -> Record:
        """The record with its contexts sharing one fresh problem list (a parser's own)."""
        sink: list[Problem] = []
        return Record(
            self.props,
            self.geometry,
            self.ctx.collecting(sink),
            self.props_ctx.collecting(sink),
            self.geometry_ctx.collecting(sink),
        )

    @property
    def problems(self) -> list[Problem]:
        """The problems reported in this record's contexts."""
        return self.ctx.problems

    @classmethod
    def from_table(
        cls, item: Mapping[str, Any], ctx: Context, geometry_type: str, coordinates: Any
    ) -> Record:
        """A TOML table at ``ctx``; ``coordinates`` is its geometry's positions."""
        props = {k: v for k, v in item.items() if k != "coordinates"}
        return cls(props, {"type": geometry_type, "coordinates": coordinates}, ctx, ctx, ctx)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """What a record parser returns: the object (``None`` when it cannot be built) and the
    problems found in the record, in the order they were found."""

    value: T | None
    problems: list[Problem] = field(default_factory=list)
