"""The documentation keeps up with the code: every setting and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_read_by_the_settings_is_documented() -> None:
    settings_text = (ROOT / "palermo" / "settings.py").read_text()
    documented = (ROOT / "docs" / "configuration.md").read_text()
    variables = set(re.findall(r'"((?:PALERMO_[A-Z0-9_]+)|DATABASE_URL)"', settings_text))
    assert len(variables) >= 20
    missing = sorted(name for name in variables if f"`{name}" not in documented)
    assert missing == []


def test_every_palermo_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = sorted(path.stem for path in ROOT.glob("palermo/*/management/commands/*.py") if path.stem != "__init__")
    assert commands == ["audit", "backup", "cases", "demo", "diagnostics", "iati", "import", "release", "steering"]
    missing = [name for name in commands if f"`palermo {name}" not in readme]
    assert missing == []


def test_the_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("\n")[:6]
    assert "make demo" in "\n".join(head)
    assert "make test" in "\n".join(head)


def test_every_app_is_in_the_architecture_page() -> None:
    architecture = (ROOT / "docs" / "architecture.md").read_text()
    apps = sorted(path.parent.name for path in ROOT.glob("palermo/*/apps.py"))
    missing = [app for app in apps if f"`{app}`" not in architecture]
    assert missing == []
