"""The `cli/` package: every command its modules define is reachable from `formative`.

A command module whose commands were never added to the root group (or a command added
to none) would be dead code that no one notices: `formative --help` would just not
show it. The modules are found on disk, not from the package's own list.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import click
from click.testing import CliRunner

import formative.cli
from formative.cli import cli


def command_modules() -> list[ModuleType]:
    """Every module of the package but `common`, imported."""
    names = [info.name for info in pkgutil.iter_modules(formative.cli.__path__, "formative.cli.")]
    return [importlib.import_module(name) for name in sorted(names) if name != "formative.cli.common"]


def defined_in(module: ModuleType) -> list[click.Command]:
    """The click commands and groups the module itself defines at its top level."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, click.Command) and getattr(value.callback, "__module__", None) == module.__name__
    ]


def reachable(group: click.Group) -> list[click.Command]:
    """Every command under group, at any depth."""
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found.extend(reachable(command))
    return found


def test_the_package_has_its_command_modules() -> None:
    names = {module.__name__.rpartition(".")[2] for module in command_modules()}
    assert names >= {"solo", "workbooks", "workshop", "export", "serve"}
    for module in command_modules():
        assert defined_in(module), f"{module.__name__} defines no command"


def test_every_command_a_module_defines_is_reachable_from_formative() -> None:
    under_formative = [id(command) for command in reachable(cli)]
    for module in command_modules():
        for command in defined_in(module):
            assert id(command) in under_formative, f"{module.__name__}: `{command.name}` is not registered"


def test_formative_help_lists_the_top_level_commands_of_every_module() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    for module in command_modules():
        nested = {id(sub) for group in defined_in(module) if isinstance(group, click.Group) for sub in reachable(group)}
        top = {command.name for command in defined_in(module) if id(command) not in nested}
        assert top, f"{module.__name__} has no top-level command"
        assert top <= listed, f"{module.__name__}: {sorted(top - listed)} missing from `formative --help`"
