"""The package's imports follow its layers: a module imports only from its own layer or lower ones.

docs/architecture.md draws the layers. Imports made only for type checking do not count; an import
inside a function is allowed only in ``apps/`` (a command's modules load when it runs) and for
third-party dependencies.
"""

from __future__ import annotations

import ast
from pathlib import Path

import copydesk

PACKAGE = Path(copydesk.__file__).parent

LAYERS: list[set[str]] = [
    {"errors", "schema", "protocols", "models", "patterns"},
    {"document", "lexicon", "datasplit", "language", "inference", "registry"},
    {"knowledge", "reading", "resources"},
    {"stages", "findings", "overlap"},
    {"checkers"},
    {"pipeline", "fixing"},
    {"reporting"},
    {"apps", "knowledge_build", ""},
]
"""Top-level modules and folders of the package, lowest first ("" is the package itself)."""


def layer_of(module: str) -> int:
    room = module.split(".")[1] if module.count(".") else ""
    for number, rooms in enumerate(LAYERS):
        if room in rooms:
            return number
    raise AssertionError(f"{module} is in no layer: add its room to LAYERS and docs/architecture.md")


def module_name(path: Path) -> str:
    parts = ["copydesk", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported copydesk module, whether the import sits inside a function), outside TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, in_function) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "copydesk":
            found.extend((f"copydesk.{alias.name}", in_function) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, in_function))
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return [(name, inner) for name, inner in found if name == "copydesk" or name.startswith("copydesk.")]


def test_every_import_follows_the_layers() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for imported, inner in imports(path):
            if layer_of(imported) > layer_of(module):
                wrong.append(f"{module} imports {imported}, a higher layer")
            if inner and not module.startswith("copydesk.apps."):
                wrong.append(f"{module} imports {imported} inside a function")
    assert wrong == []


def test_the_layer_check_notices_a_wrong_way_import(tmp_path: Path) -> None:
    (tmp_path / "probe.py").write_text("def f():\n    from copydesk.pipeline import Pipeline\n")
    assert imports(tmp_path / "probe.py") == [("copydesk.pipeline", True)]
    assert layer_of("copydesk.pipeline") > layer_of("copydesk.stages.segment")
