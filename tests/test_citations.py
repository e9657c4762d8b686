"""The personal-data law cited everywhere is the one in force (issue 13 §5).

Decree 13/2023/NĐ-CP was replaced by Law 91/2025/QH15 on personal data protection (Luật Bảo
vệ dữ liệu cá nhân, in force 1 January 2026): no code, template, doc or README still cites
the decree, and every console page's footer names the law.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITED = ("postlink", "templates", "docs", "config", "README.md")
SUFFIXES = {".py", ".html", ".md", ".po", ".toml", ".env", ".txt"}


def _texts() -> list[Path]:
    found: list[Path] = []
    for name in CITED:
        path = ROOT / name
        found.extend([path] if path.is_file() else sorted(path.rglob("*")))
    return [p for p in found if p.is_file() and p.suffix in SUFFIXES]


def test_no_text_cites_the_replaced_decree() -> None:
    citing = [str(p.relative_to(ROOT)) for p in _texts() if "13/2023" in p.read_text("utf-8")]
    assert citing == []


def test_every_page_footer_names_law_91_2025() -> None:
    footer = (ROOT / "templates" / "web" / "base.html").read_text("utf-8")
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in footer
