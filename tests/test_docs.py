"""The README stays true: its KPI example validates, and every command it shows exists."""
import re
from pathlib import Path

import yaml

from smartcity.cli import build_parser
from smartcity.kpi import KpiDefinition
from smartcity.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_two_commands_first():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block


def test_the_kpi_example_in_the_readme_validates():
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "- id:" in b)
    [raw] = yaml.safe_load(example)
    kpi = KpiDefinition.model_validate(raw)
    assert kpi.pillar == "integration" and kpi.rag(40) == "red"


def test_every_command_in_the_readme_exists():
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)
    shown = set(re.findall(r"python -m smartcity (?:--lang \w+ )?([a-z]+)", README))
    assert shown and shown <= commands


def test_every_setting_is_documented_or_named():
    # Each setting can be overridden by SMARTCITY_<NAME>; the README must say where they live.
    assert "smartcity/settings.py" in README
    assert all(s.help for s in SETTINGS.values())
