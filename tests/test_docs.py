"""The documentation keeps up with the code: every setting, command, path and pure module it names is real."""

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
    commands = sorted(path.stem for path in ROOT.glob("palermo/*/management/commands/*.py")
                      if path.stem not in ("__init__", "drf_create_token"))  # DRF's, replaced by one that refuses
    assert commands == [
        "accounts", "audit", "backup", "cases", "demo", "diagnostics", "export", "iati", "import", "linkage",
        "networks",
        "qualify", "reference", "release", "screen", "serve", "steering", "token", "worker"]
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


DOCUMENTS = [*sorted(ROOT.glob("docs/*.md")), ROOT / "README.md"]
PROJECT_PATH = re.compile(r"^(?:palermo|tests|benchmarks|docs)/")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _code_spans(text: str) -> list[str]:
    """Inline code spans, and each line of the fenced code blocks."""
    fenced = [line.strip() for block in FENCE.findall(text) for line in block.splitlines()[1:-1]]
    return re.findall(r"`([^`\n]+)`", FENCE.sub("", text)) + fenced


def _expand(path: str) -> list[str]:
    """``a/{b,c}.py`` -> ``a/b.py``, ``a/c.py``."""
    found = re.search(r"\{([^{}]*)\}", path)
    if not found:
        return [path]
    return [p for part in found.group(1).split(",") for p in _expand(path[: found.start()] + part + path[found.end():])]


def test_every_project_path_named_in_the_docs_exists() -> None:
    missing = []
    for document in DOCUMENTS:
        for span in _code_spans(document.read_text(encoding="utf-8")):
            for word in span.split():
                path = word.rstrip(".,;:)").split("::")[0]
                if not PROJECT_PATH.match(path) or any(mark in path for mark in "<>*…") or "..." in path:
                    continue
                missing += [f"{document.name}: {p}" for p in _expand(path) if not (ROOT / p).exists()]
    assert missing == []


def _subcommands(name: str) -> set[str] | None:
    """The subcommands of a management command that has some (``palermo iati export``), else None."""
    import argparse

    from django.core.management import get_commands, load_command_class

    parser = load_command_class(get_commands()[name], name).create_parser("palermo", name)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return None


def _palermo_commands(span: str) -> set[tuple[str, ...]]:
    """``palermo iati export --output F`` -> ``("iati", "export")``; ``palermo`` as an option's value
    (``createdb --owner palermo``, ``sudo -u palermo``) is a user name, not the command."""
    words = span.split()
    found = set()
    for index, word in enumerate(words):
        if word.split("/")[-1] != "palermo" or (index and words[index - 1].startswith("-")):
            continue
        command: list[str] = []
        for following in words[index + 1 : index + 3]:
            if not re.fullmatch(r"[a-z][a-z_-]*", following):
                break
            command.append(following)
        if command:
            found.add(tuple(command))
    return found


def test_every_palermo_command_named_in_the_docs_exists() -> None:
    from django.core.management import get_commands

    commands = get_commands()
    named: set[tuple[str, ...]] = set()
    for document in DOCUMENTS:
        for span in _code_spans(document.read_text(encoding="utf-8")):
            named |= _palermo_commands(span)
    assert len(named) >= 15
    unknown = sorted(" ".join(words) for words in named if words[0] not in commands)
    assert unknown == []
    unknown_sub = sorted(
        " ".join(words)
        for words in named
        if len(words) == 2 and (subs := _subcommands(words[0])) is not None and words[1] not in subs
    )
    assert unknown_sub == []


def test_the_pure_modules_of_the_architecture_page_are_those_the_contract_checks() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    pure = next(c for c in contracts if c["name"] == "Pure modules import no Django")
    architecture = (ROOT / "docs" / "architecture.md").read_text()
    named = {"palermo.numbers", "palermo.tabular"}  # top-level helpers, named below the table
    for app, modules in re.findall(r"^\| `(\w+)` \|.*\| ([^|]*) \|$", architecture, re.MULTILINE):
        named |= {f"palermo.{app}.{m.removesuffix('.py').replace('/', '.')}" for m in re.findall(r"`([^`]+)`", modules)}
    assert sorted(named) == sorted(pure["source_modules"])
    assert all((ROOT / (module.replace(".", "/") + ".py")).is_file() for module in named)
