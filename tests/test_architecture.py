"""House rules that a reviewer would otherwise have to remember."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_never_imports_streamlit():
    offenders = [p.relative_to(ROOT) for p in (ROOT / "smartcity").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_never_write_sql():
    # Pages render; the package queries. A page holding SQL is logic in the wrong place.
    offenders = []
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8").upper()
        if any(word in text for word in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", ".EXECUTE(")):
            offenders.append(page.name)
    assert offenders == []


def test_no_html_rendering_of_user_text():
    # unsafe_allow_html is never used: user text (names, notes) must never become HTML.
    offenders = [p.relative_to(ROOT) for p in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
                 if p.exists() and "unsafe_allow_html=True" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_message_catalogues_do_not_shadow_each_other():
    from smartcity.i18n.domain import DOMAIN
    from smartcity.i18n.errors import ERRORS
    from smartcity.i18n.system import SYSTEM
    from smartcity.i18n.ui import UI

    catalogues = [DOMAIN, ERRORS, SYSTEM, UI]
    seen: dict[str, int] = {}
    clashes = []
    for i, cat in enumerate(catalogues):
        for key in cat:
            if key in seen:
                clashes.append(key)
            seen[key] = i
    assert clashes == []


def test_every_literal_message_key_exists_in_both_languages():
    import re

    from smartcity.i18n import CATALOG

    pattern = re.compile(r"""\b(?:t|Problem|PermissionDenied|UserError|StoreError|SmartCityError)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
    missing = set()
    files = [*ROOT.glob("smartcity/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
    for path in files:
        if path.exists():
            missing |= {k for k in pattern.findall(path.read_text(encoding="utf-8")) if k not in CATALOG}
    assert missing == set()
    assert all(len(pair) == 2 and all(pair) for pair in CATALOG.values())
