"""Finds checks: the built-in folder, the `crmsec.checks` entry-point group, `--checks-dir` folders and YAML.

Built-ins are loaded by path (never imported by module name, see STYLE.md section 2). A pack that fails to
import becomes a `LoadProblem` (reported as an ERROR finding `plugin:<name>`), and the scan goes on. Two
checks with one id stop the run with `PluginConflictError`.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import jsonschema
from jsonschema.exceptions import best_match

from crmsec import resources
from crmsec.errors import InputError, PluginConflictError, PluginError
from crmsec.plugin import AREA_OF_DIMENSION, CheckSpec, spec_of
from crmsec.spelling import ID_CUTOFF, did_you_mean
from crmsec.yaml_checks import load_yaml_check

BUILTIN_PREFIX = "CRM-"
ENTRY_POINT_GROUP = "crmsec.checks"
_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{3}$")


@dataclass(frozen=True, slots=True)
class PackInfo:
    """Where a set of checks came from, so auditors see what did the judging."""

    name: str
    origin: str  # builtin | entry_point | directory
    version: str
    location: str
    sha256: str  # pack_digest(): every file of the pack, helpers and data included
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A pack or file that could not be loaded; it becomes an ERROR finding `plugin:<name>`."""

    pack: str
    message: str


@dataclass(slots=True)
class Catalogue:
    """Every check found, by id, with the packs they came from and what failed to load."""

    checks: dict[str, CheckSpec] = field(default_factory=dict)
    packs: list[PackInfo] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    def get(self, check_id: str) -> CheckSpec:
        """The check with this id; InputError naming the id when there is none."""
        try:
            return self.checks[check_id]
        except KeyError:
            suggestion = did_you_mean(check_id, self.checks, cutoff=ID_CUTOFF)
            raise InputError(
                f"no check with id {check_id!r}{suggestion}", hint="`crmsec checks list` shows them"
            ) from None

    def add(self, spec: CheckSpec, pack: str) -> None:
        """Add a validated check; a second check with the same id is a conflict."""
        existing = self.checks.get(spec.id)
        if existing is not None:
            raise PluginConflictError(f"check id {spec.id} is defined twice: in {existing.origin} and in {pack}")
        self.checks[spec.id] = spec


def validate_spec(spec: CheckSpec, *, builtin: bool) -> None:
    """Validate a check's metadata against check.schema.json and the id rules; PluginError otherwise."""
    document = spec.metadata()
    problem = best_match(jsonschema.Draft202012Validator(resources.schema("check")).iter_errors(document))
    if problem is not None:
        location = "/".join(str(part) for part in problem.absolute_path) or "(top)"
        raise PluginError(f"check {spec.id!r} from {spec.origin}: {location}: {problem.message}")
    if not _ID_PATTERN.match(spec.id):
        raise PluginError(f"check id {spec.id!r} from {spec.origin} is not of the form PREFIX-AREA-NNN")
    if builtin:
        area = AREA_OF_DIMENSION[spec.dimension]
        if not spec.id.startswith(f"{BUILTIN_PREFIX}{area}-"):
            raise PluginError(f"built-in check {spec.id} should be named CRM-{area}-NNN for {spec.dimension}")
    elif spec.id.startswith(BUILTIN_PREFIX):
        raise PluginError(f"check {spec.id} from {spec.origin}: the CRM- prefix is reserved for built-in checks")


def pack_digest(roots: Iterable[Path]) -> str:
    """The sha256 of every regular file of a pack: what ran, helpers and data files included.

    Each root is a folder (walked recursively) or a single module file. Files are taken in the order of
    their relative POSIX paths, and each contributes that path, its length and its bytes, so renaming or
    moving a file changes the digest as much as editing it. Only `__pycache__` folders and `*.pyc` files
    are left out: Python writes them itself. An unreadable file raises `OSError`.
    """
    files = sorted(
        (relative, position, path) for position, root in enumerate(roots) for relative, path in _pack_files(root)
    )
    digest = hashlib.sha256()
    for relative, _, path in files:
        data = path.read_bytes()
        digest.update(b"%b\0%d\0%b" % (relative.encode("utf-8", "surrogateescape"), len(data), data))
    return digest.hexdigest()


def _pack_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of each regular file of a folder or of a single module file."""
    if root.is_file():
        yield root.name, root
        return
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if "__pycache__" in relative.parts or path.suffix == ".pyc" or not path.is_file():
            continue
        yield relative.as_posix(), path


def _module_from_path(path: Path, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _specs_in(module: ModuleType) -> Iterator[CheckSpec]:
    for value in vars(module).values():
        spec = spec_of(value)
        if spec is not None and getattr(value, "__module__", None) == module.__name__:
            yield spec


def _check_files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix in (".py", ".yaml", ".yml") and not path.name.startswith("_") and "__pycache__" not in path.parts
    )


def _load_folder(catalogue: Catalogue, folder: Path, *, origin: str, builtin: bool) -> None:
    """Load every check file under `folder` by path; each file is its own pack for error purposes."""
    files = _check_files(folder)
    try:
        digest = pack_digest([folder])
    except OSError as error:
        raise InputError(f"{folder}: cannot read a file of the pack ({error})") from error
    namespace = (
        "crmsec_builtin_checks"
        if builtin
        else "crmsec_dir_checks_" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:10]
    )
    found: list[str] = []
    for path in files:
        relative = path.relative_to(folder)
        pack = f"{origin}:{relative.as_posix()}"
        try:
            specs = _load_file(path, relative, namespace=namespace, pack=pack)
        except InputError:
            raise
        except (Exception, SystemExit) as error:  # noqa: BLE001 -- boundary: a broken check file must not stop the scan
            catalogue.problems.append(LoadProblem(pack, f"{type(error).__name__}: {error}"))
            continue
        for spec in specs:
            validate_spec(spec, builtin=builtin)
            catalogue.add(spec, pack)
            found.append(spec.id)
    catalogue.packs.append(
        PackInfo(
            name="crmsec-builtin" if builtin else folder.name,
            origin=origin,
            version=_crmsec_version() if builtin else "",
            location="builtin" if builtin else str(folder),
            sha256=digest,
            checks=tuple(sorted(found)),
        )
    )


def _load_file(path: Path, relative: Path, *, namespace: str, pack: str) -> list[CheckSpec]:
    if path.suffix in (".yaml", ".yml"):
        return [replace(load_yaml_check(path), origin=pack)]
    dotted = ".".join(relative.with_suffix("").parts)
    module = _module_from_path(path, f"{namespace}.{dotted}")
    return [replace(spec, origin=pack) for spec in _specs_in(module)]


def _crmsec_version() -> str:
    from crmsec.version import __version__

    return __version__


def _load_entry_points(catalogue: Catalogue) -> None:
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda item: item.name):
        pack = f"plugin:{entry.name}"
        distribution = entry.dist
        version = distribution.version if distribution is not None else ""
        try:
            loaded = entry.load()
            modules = list(_walk(loaded))
            digest = pack_digest(_pack_roots(loaded))
        except (Exception, SystemExit) as error:  # noqa: BLE001 -- boundary: a broken pack becomes ERROR, the scan goes on
            catalogue.problems.append(LoadProblem(pack, f"{type(error).__name__}: {error}"))
            continue
        found: list[str] = []
        for module in modules:
            for spec in _specs_in(module):
                spec = replace(spec, origin=f"{pack} {version}".strip())
                validate_spec(spec, builtin=False)
                catalogue.add(spec, pack)
                found.append(spec.id)
        catalogue.packs.append(PackInfo(entry.name, "entry_point", version, entry.value, digest, tuple(sorted(found))))


def _pack_roots(loaded: ModuleType) -> list[Path]:
    """What an entry-point pack is on disk: its package folder(s), or its one module file."""
    folders = getattr(loaded, "__path__", None)
    if folders is not None:
        return [Path(folder) for folder in folders]
    if loaded.__file__ is None:
        raise TypeError(f"{loaded.__name__} has no file to hash")
    return [Path(loaded.__file__)]


def _walk(loaded: object) -> Iterator[ModuleType]:
    if not isinstance(loaded, ModuleType):
        raise TypeError("a crmsec.checks entry point must name a module or package")
    yield loaded
    for info in pkgutil.walk_packages(getattr(loaded, "__path__", []), prefix=loaded.__name__ + "."):
        yield importlib.import_module(info.name)


def load_catalogue(*, plugins: bool = True, directories: Iterable[Path] = ()) -> Catalogue:
    """Load built-in checks, then entry-point packs (unless `plugins` is False), then `--checks-dir` folders."""
    catalogue = Catalogue()
    _load_folder(catalogue, resources.builtin("checks"), origin="builtin", builtin=True)
    if plugins:
        _load_entry_points(catalogue)
    for folder in directories:
        if not folder.is_dir():
            raise InputError(f"--checks-dir {folder}: not a directory")
        _load_folder(catalogue, folder, origin="directory", builtin=False)
    return catalogue
