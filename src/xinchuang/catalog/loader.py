"""Read the shipped catalog and any user catalogs on top, collecting every problem.

A catalog root looks like this (a user catalog may hold any subset)::

    catalog.yaml                    version line (shipped catalog only)
    layers.yaml                     a list of layers
    vendors/<vendor-id>.yaml        one vendor per file
    products/<layer>/<id>.yaml      one product per file
    substitutions/<foreign>.yaml    the candidates for one foreign product
    certifications/*.yaml           a list of certification rows (or groups, with 'with:')
    policies/<profile-id>.yaml      one policy profile per file

Records in a later root replace records with the same id in an earlier one;
each replacement is reported as a :class:`Conflict`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from xinchuang import resources
from xinchuang.catalog.located_yaml import LocatedDocument, YamlSyntaxError, load
from xinchuang.catalog.model import Catalog, Conflict, Origin
from xinchuang.catalog.validate import check_references
from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.models.catalog import (
    CatalogInfo,
    Certification,
    CertificationGroup,
    Layer,
    PolicyProfile,
    Product,
    Substitution,
    Vendor,
)

M = TypeVar("M", bound=BaseModel)


def _display(path: Path, root: Path, shipped: bool) -> str:
    relative = path.relative_to(root).as_posix()
    return f"<catalog>/{relative}" if shipped else str(path)


class _Reader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def document(self, path: Path, display: str) -> LocatedDocument | None:
        try:
            return load(path, display)
        except YamlSyntaxError as exc:
            self.issues.append(
                Issue(
                    file=exc.file,
                    line=exc.line,
                    column=exc.column,
                    code="CAT001",
                    message=f"invalid YAML: {exc.message}",
                )
            )
            return None

    def model(
        self, cls: type[M], data: Any, doc: LocatedDocument, base: tuple[str | int, ...] = ()
    ) -> M | None:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
                path = (*base, *loc)
                value = error.get("input")
                shown = None if isinstance(value, dict | list) else str(value)
                self.issues.append(
                    Issue(
                        file=doc.file,
                        line=doc.line_of(path),
                        code="CAT002",
                        field=".".join(str(p) for p in path) or None,
                        value=shown,
                        message=error["msg"],
                    )
                )
            return None


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def _place(
    catalog: Catalog,
    kind: str,
    table: dict[str, Any],
    record: Any,
    origin: Origin,
    issues: list[Issue],
    root_index: dict[tuple[str, str], int],
    index: int,
) -> None:
    key = (kind, record.id if kind != "substitution" else record.foreign)
    previous = catalog.origins.get(key)
    if previous is not None:
        if root_index[key] == index:
            issues.append(
                Issue(
                    file=origin.file,
                    line=origin.line,
                    code="CAT003",
                    field="id",
                    value=key[1],
                    message=f"duplicate {kind} id, also defined at {previous}",
                )
            )
            return
        catalog.conflicts.append(Conflict(kind=kind, id=key[1], replaced=previous, by=origin))
    table[key[1]] = record
    catalog.origins[key] = origin
    root_index[key] = index


def load_catalog(overlays: Sequence[str | Path] = (), *, shipped: bool = True) -> Catalog:
    """Load the shipped catalog, then each overlay directory on top; raise DataError once."""
    roots: list[tuple[Path, bool]] = []
    if shipped:
        roots.append((resources.catalog_dir(), True))
    for overlay in overlays:
        path = Path(overlay)
        if not path.is_dir():
            raise UsageError(
                f"{path}: catalog directory not found",
                tip="--catalog takes a directory laid out like the shipped catalog",
            )
        roots.append((path, False))
    return _load_roots(roots)


def _load_roots(roots: Iterable[tuple[Path, bool]]) -> Catalog:
    reader = _Reader()
    catalog = Catalog(version="0")
    root_index: dict[tuple[str, str], int] = {}
    for index, (root, is_shipped) in enumerate(roots):
        catalog.roots.append(str(root))

        def origin(doc: LocatedDocument, path: tuple[str | int, ...] = ()) -> Origin:
            return Origin(root=str(root), file=doc.file, line=doc.line_of(path))  # noqa: B023

        def read(path: Path) -> LocatedDocument | None:
            doc = reader.document(path, _display(path, root, is_shipped))  # noqa: B023
            if doc is not None:
                catalog.digest_input.append(f"{doc.file}\0{path.read_bytes().hex()}")
            return doc

        info_path = root / "catalog.yaml"
        if info_path.is_file():
            doc = read(info_path)
            if doc:
                info = reader.model(CatalogInfo, doc.data, doc)
                if info and (is_shipped or catalog.version == "0"):
                    catalog.version = info.version

        layers_path = root / "layers.yaml"
        if layers_path.is_file():
            doc = read(layers_path)
            if doc:
                if not isinstance(doc.data, list):
                    reader.issues.append(
                        Issue(doc.file, "expected a list of layers", "CAT002", line=1)
                    )
                else:
                    for i, item in enumerate(doc.data):
                        layer = reader.model(Layer, item, doc, (i,))
                        if layer:
                            _place(
                                catalog,
                                "layer",
                                catalog.layers,
                                layer,
                                origin(doc, (i,)),
                                reader.issues,
                                root_index,
                                index,
                            )

        singles: list[tuple[str, str, type[Any], dict[str, Any]]] = [
            ("vendors", "vendor", Vendor, catalog.vendors),
            ("products", "product", Product, catalog.products),
            ("substitutions", "substitution", Substitution, catalog.substitutions),
            ("policies", "policy", PolicyProfile, catalog.policies),
        ]
        for folder, kind, cls, table in singles:
            for path in _yaml_files(root / folder):
                doc = read(path)
                if not doc:
                    continue
                record = reader.model(cls, doc.data, doc)
                if record is None:
                    if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                        catalog.invalid_ids.add((kind, doc.data["id"]))
                    continue
                expected = record.foreign if kind == "substitution" else record.id
                if path.stem != expected:
                    reader.issues.append(
                        Issue(
                            doc.file,
                            f"file name must be the {kind} id ({expected}.yaml)",
                            "CAT004",
                            line=doc.line_of(("foreign" if kind == "substitution" else "id",)),
                            value=path.name,
                        )
                    )
                if kind == "product" and path.parent.name != record.layer:
                    reader.issues.append(
                        Issue(
                            doc.file,
                            f"a product file lives in products/<layer>/: expected "
                            f"products/{record.layer}/",
                            "CAT004",
                            line=doc.line_of(("layer",)),
                            value=path.parent.name,
                        )
                    )
                _place(catalog, kind, table, record, origin(doc), reader.issues, root_index, index)

        for path in _yaml_files(root / "certifications"):
            doc = read(path)
            if not doc:
                continue
            if not isinstance(doc.data, list):
                reader.issues.append(
                    Issue(doc.file, "expected a list of certification rows", "CAT002", line=1)
                )
                continue
            for i, item in enumerate(doc.data):
                rows: list[Certification] = []
                if isinstance(item, dict) and "with" in item:
                    group = reader.model(CertificationGroup, item, doc, (i,))
                    rows = group.expand() if group else []
                else:
                    row = reader.model(Certification, item, doc, (i,))
                    rows = [row] if row else []
                for row in rows:
                    catalog.certifications.append(row)
                    catalog.certification_origins.append(origin(doc, (i,)))

    reader.issues.extend(check_references(catalog))
    if reader.issues:
        raise DataError(
            f"catalog is invalid: {len(reader.issues)} problem(s)",
            reader.issues,
            tip="run 'xinchuang catalog validate' to list every problem",
        )
    return catalog
