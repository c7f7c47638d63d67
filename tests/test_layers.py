"""The engine's layer rules, checked rather than only written down (docs/ARCHITECTURE.md).

1. No module under gan_engine imports streamlit (the engine runs in workers and scripts).
2. gan_engine.data, gan_engine.theory and gan_engine.runs import without torch: the data and
   maths layers are NumPy, and a queued worker waits for its slot without loading torch.
3. Which package may import which, read from the source: a package imports only the
   packages its row allows at module level; a few more only inside functions (loaded when
   needed, such as the run cache loading the models that train a run).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENGINE = REPO / "gan_engine"
PACKAGES = ("data", "theory", "train", "runs", "judge", "plots", "lab")
TOP = "top"   # gan_engine/*.py: cli, config, errors, limits, the package itself

# package -> (engine parts it may import at module level, more it may import inside functions)
RULES: dict[str, tuple[set[str], set[str]]] = {
    "data": ({"config", "errors", "data"}, set()),
    "theory": ({"errors", "theory"}, set()),
    "train": ({"config", "errors", "data", "theory", "limits", "train"}, set()),
    "runs": ({"", "config", "errors", "data", "limits", "runs"}, {"train", "judge"}),
    "judge": ({"", "config", "errors", "data", "judge", "plots", "runs", "train"}, set()),
    "plots": ({"errors", "plots", "theory"}, set()),
    "lab": ({"config", "errors", "lab", "theory", "train"}, set()),
    TOP: ({"", "config", "errors", "data", "cli"}, {"runs", "judge", "data", "limits"}),
}


def _modules() -> list[str]:
    names = []
    for path in sorted(ENGINE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _engine_imports(path: Path) -> list[tuple[str, bool]]:
    """(imported engine part, imported at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(), str(path))
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nested.update(id(child) for child in ast.walk(node) if child is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            nested.update(id(child) for child in ast.walk(node) if child is not node)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "gan_engine" else [f"gan_engine.{a.name}" for a in node.names]
        for name in names:
            if name == "gan_engine" or name.startswith("gan_engine."):
                part = name.split(".")[1] if name.count(".") >= 1 else ""
                part = part if (ENGINE / part).is_dir() or (ENGINE / f"{part}.py").is_file() else ""
                found.append((part, id(node) not in nested))
    return found


def _package_of(path: Path) -> str:
    relative = path.relative_to(ENGINE).parts
    return relative[0] if len(relative) > 1 else TOP


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_each_module_imports_only_what_its_package_may(path: Path) -> None:
    package = _package_of(path)
    at_top, inside = RULES[package]
    own = {package} if package != TOP else set()
    for part, module_level in _engine_imports(path):
        if part in {"cli", "config", "errors", "limits"} and package == TOP:
            continue
        allowed = at_top | own if module_level else at_top | inside | own
        assert part in allowed, (f"{path.relative_to(REPO)} imports gan_engine.{part} "
                                 f"{'at module level' if module_level else 'inside a function'}; "
                                 f"the {package} layer may not (see docs/ARCHITECTURE.md)")


def _imported_after(modules: list[str]) -> set[str]:
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "print('\\n'.join(sorted(m.split('.')[0] for m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_no_engine_module_imports_streamlit() -> None:
    modules = [m for m in _modules() if m != "gan_engine.__main__"]
    assert len(modules) > 30
    assert "streamlit" not in _imported_after(modules)


@pytest.mark.parametrize("package", ["gan_engine.data", "gan_engine.theory", "gan_engine.runs"])
def test_data_theory_and_the_run_cache_import_without_torch(package: str) -> None:
    modules = [m for m in _modules() if m == package or m.startswith(package + ".")]
    imported = _imported_after(modules)
    assert "torch" not in imported, f"importing {package} loaded torch"
    assert "gan_engine" in imported


def test_the_rules_see_every_package() -> None:
    assert {p.name for p in ENGINE.iterdir() if (p / "__init__.py").is_file()} == set(PACKAGES)
