"""The media library is a leaf: nothing under media/ knows the catalog (or the API)."""
import ast
from pathlib import Path

import media

HIGHER = ("catalog", "api")


def _modules():
    return sorted(Path(media.__file__).parent.rglob("*.py"))


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if not node.level else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # Lazy references: import_module("catalog..."), "catalog.Product", to="catalog.colour".
            names = [node.value] if any(f"{app}." in node.value for app in HIGHER) else []
            found += [f"{path.name}:{node.lineno}: string {name!r}" for name in names]
            continue
        else:
            continue
        found += [f"{path.name}:{node.lineno}: imports {name}" for name in names
                  if name.split(".")[0] in HIGHER]
    return found


def test_no_module_of_media_refers_to_catalog_or_api():
    modules = _modules()
    assert any(p.parent.name == "migrations" for p in modules)  # the walk covers migrations
    offences = [offence for path in modules for offence in _offences(path)]
    assert offences == []


def test_the_check_catches_imports_and_string_references(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("import catalog.models\nfrom api import views\n"
                      "def f():\n    from catalog.models import Product\n"
                      "X = models.ForeignKey('catalog.Colour', on_delete=None)\n")
    assert len(_offences(module)) == 4
