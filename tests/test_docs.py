"""The docs say what the code does: the README's command table names every command, action and
option the parser has, its catalog counts are the catalog's, the exit statuses and settings the
docs name are the code's, and every file or module path they quote exists. Drift fails here."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

import pytest

from guard.catalog.loader import shipped_catalog_dir
from guard.cli.registry import build_parser
from guard.cli.status import ExitStatus
from guard.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", ROOT / "guard/cli/README.md", ROOT / "packaging/README.md",
        *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "resources").glob("**/README.md"))]
NOT_FOR_USERS = {"browser-host"}  # started by a browser, never by hand: no row of its own


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start:end if end > 0 else len(text)]


def _leaves(parser: argparse.ArgumentParser,
            words: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Every runnable command (``("consent", "add")``) with its options (each with its aliases:
    ``("-o", "--output")``), --help and --json aside."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [leaf for name, sub in action.choices.items() for leaf in _leaves(sub, (*words, name))]
    options = [tuple(action.option_strings) for action in parser._actions
               if action.option_strings and not {"--help", "--json"} & set(action.option_strings)]
    return [(words, options)]


COMMAND_TABLE = _section(README, "### Headless command line")
LEAVES = [leaf for leaf in _leaves(build_parser(full=True)) if leaf[0] and leaf[0][0] not in NOT_FOR_USERS]


@pytest.mark.parametrize(("words", "options"), LEAVES, ids=[" ".join(words) for words, _ in LEAVES])
def test_the_readme_command_table_names_every_command_and_its_options(words, options):
    command = "meeting-guard " + " ".join(words)
    rows = [line for line in COMMAND_TABLE.splitlines()
            if line.startswith("| `meeting-guard") and re.search(rf"`{re.escape(command)}\b", line.replace("\\|", "|"))
            or line.startswith(f"| `meeting-guard {words[0]} ") and f" {words[-1]} " in line.replace("\\|", "|")]
    assert rows, f"README's command table has no row for '{command}'"
    row = " ".join(rows)
    missing = [option[-1] for option in options
               if not any(re.search(rf"(?<![\w-]){re.escape(alias)}\b", row) for alias in option)]
    assert not missing, f"README's row for '{command}' does not mention {missing}"


def test_the_readme_counts_the_catalog_as_it_is():
    providers = [tomllib.loads(path.read_text(encoding="utf-8")) for path in shipped_catalog_dir().glob("*.toml")]
    said = re.search(r"knows (\d+) services .*? (\d+) AI note-takers; (\d+) services that were retired",
                     README, re.DOTALL)
    assert said, "README no longer says how many services the catalog knows"
    assert [int(n) for n in said.groups()] == [
        len(providers),
        sum(provider["kind"] == "notetaker" for provider in providers),
        sum("discontinued" in provider for provider in providers),
    ]


def test_the_exit_statuses_the_docs_list_are_the_enums():
    cli_readme = (ROOT / "guard/cli/README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"(\d+) ([A-Z_]+)", re.search(r"ExitStatus: (.*)", cli_readme).group(1)))
    assert {int(code): name for code, name in listed.items()} == {status.value: status.name for status in ExitStatus}
    said = re.search(r"Exit codes: (.*?)\(130 interrupted,\s+141 when", README, re.DOTALL)
    assert said and all(f"{status.value} " in said.group(1)
                        for status in ExitStatus if status.value < 100), "README's exit codes differ from ExitStatus"


def test_every_setting_the_docs_name_exists():
    known = {f"{section}.{key}" for section, values in Settings().model_dump().items() for key in values}
    named = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        named |= set(re.findall(r"`((?:general|detection|notifications|terms)\.[a-z_]+)`", text))
        named |= {f"{section}.{key}" for section, key in
                  re.findall(r"`\[(general|detection|notifications|terms)\]\s+([a-z_]+)", text)}
    named = {name for name in named if not name.startswith(("terms.deadline", "terms.pinning", "terms.urlpolicy"))}
    assert named and not named - known, f"settings the docs name that do not exist: {sorted(named - known)}"


# ``commit:path`` (git's notation) names a file of another commit or branch, not of this tree
PATH = re.compile(r"(?<![\w/.:-])((?:guard|ui|tests|resources|packaging|docs)/[\w./-]*\w)(?:\.(\w+))?")


def test_every_file_and_module_the_docs_quote_exists():
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in PATH.finditer(text):
            path, attribute = match.group(1), match.group(2)
            if path in ("guard/cli/mymod.py",  # the README's example of a new command
                        "ui/accessibility/platform/atk_util_auralinux.cc"):  # Chromium's, quoted as a source
                continue
            found = (ROOT / path).exists() or (doc.parent / path).exists()
            if not found and attribute is None and "." in Path(path).name:  # module.attribute: ui/loops.WaitingLoop
                module, _, attribute = path.rpartition(".")
                found = (ROOT / f"{module}.py").exists() and re.search(
                    rf"^\s*(?:class|def|async def) {attribute}\b|^{attribute}\s*[:=]",
                    (ROOT / f"{module}.py").read_text(encoding="utf-8"), re.MULTILINE) is not None
            if not found:
                missing.append(f"{doc.relative_to(ROOT)}: {match.group(0)}")
    assert not missing, "the docs quote paths that do not exist:\n" + "\n".join(missing)


def test_every_command_the_docs_show_names_a_module_that_exists():
    shown = {name for doc in DOCS for name in
             re.findall(r"python3? -m ((?:tests|guard)(?:\.\w+)+)", doc.read_text(encoding="utf-8"))}
    missing = sorted(name for name in shown
                     if not (ROOT / f"{name.replace('.', '/')}.py").exists()
                     and not (ROOT / name.replace(".", "/") / "__main__.py").exists())
    assert shown and not missing, f"the docs show 'python -m' commands whose module does not exist: {missing}"


def test_the_models_architecture_names_have_the_fields_it_lists():
    import dataclasses

    from guard.detect.observation import Observation
    from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting
    from guard.monitor import Snapshot

    architecture = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    for model in (Observation, Evidence, RunningApp, MeetingSession, SeenInMeeting, Snapshot):
        listed = re.search(rf"\b{model.__name__}\(([^)]*)\)", architecture)
        assert listed, f"docs/architecture.md no longer lists {model.__name__}'s fields"
        names = [name.strip(" │\n") for name in listed.group(1).split(",")]
        assert names == [field.name for field in dataclasses.fields(model)], model.__name__


def test_the_runners_lanes_are_as_architecture_lists_them():
    from ui.jobs import LANE_THREADS

    architecture = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `(\w+)` \| (\d+)\b", architecture, re.MULTILINE))
    assert {lane: int(threads) for lane, threads in listed.items()} == {
        str(lane): threads for lane, threads in LANE_THREADS.items()}


def test_the_numbers_the_docs_give_are_the_codes():
    """Limits and deadlines the README and architecture quote, against the constants they describe."""
    from guard.browser import limits
    from guard.detect.sessions import SessionRules
    from guard.keyring_call import DEFAULT_DEADLINE_S
    from guard.ledger.cut import MAX_NOTE, MAX_TEXT
    from guard.monitor import MAX_ENDED
    from guard.services.helper import HELPER_DEADLINE_S
    from guard.terms.fetch import FetchPolicy

    architecture = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    policy = FetchPolicy()
    said = {
        "README: host message cap": (f"refuses anything over {limits.MESSAGE_BYTES // 1024} KB", README),
        "README: tab title cut": (f"cuts them to {limits.TITLE} characters", README),
        "README: ledger text cut": (f"({MAX_TEXT:,} characters; {MAX_NOTE:,} for\nyour note)", README),
        "README: fetch size cap": (f"a {policy.max_bytes // (1024 * 1024)} MB cap", README),
        "README: redirects": (f"at most {policy.max_redirects} redirects", README),
        "README: meeting end": ({3: "three"}.get(SessionRules().meeting_end_ticks, "?") + " passes", README),
        "architecture: ended meetings kept": (f"the last {MAX_ENDED} ended meetings", architecture),
        "architecture: helper deadline": (f"`HELPER_DEADLINE_S`, {HELPER_DEADLINE_S / 60:g} minutes", architecture),
        "architecture: keyring deadline": (f"({DEFAULT_DEADLINE_S:g} s, `MEETING_GUARD_KEYRING_TIMEOUT`", architecture),
    }
    wrong = [name for name, (text, doc) in said.items() if text not in doc]
    assert not wrong, f"the docs no longer give these numbers as the code has them: {wrong}"


def test_watch_lists_every_detection_event_kind():
    import guard.event_kinds_meeting  # noqa: F401  (defines the meeting's events)
    from guard.event_kinds import DetectionEvent

    def kinds(base: type) -> set[str]:
        return {kind for sub in base.__subclasses__() for kind in
                ({sub.kind} if not sub.__name__.startswith("_") else set()) | kinds(sub)}

    row = next(line for line in COMMAND_TABLE.splitlines() if line.startswith("| `meeting-guard watch"))
    every = kinds(DetectionEvent)
    assert "ai-feature-noticed" in every and not every - set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", row)), row


def test_where_your_data_lives_on_linux_is_where_the_app_puts_it(monkeypatch, tmp_path):
    import sys

    from guard.paths import app_paths

    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux column")
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    paths = app_paths({})
    table = _section(README, "## Where your data lives")
    linux = [re.findall(r"`(~[^`]+)`", line)[0] for line in table.splitlines()
             if line.startswith("| ") and "`~" in line]
    shown = [str(folder).replace(str(tmp_path), "~") for folder in
             (paths.config_dir, paths.data_dir, paths.log_dir, paths.cache_dir)]
    assert linux == shown


def test_every_dotted_name_the_docs_quote_exists():
    """`guard.x.y` and `ui.x.y` in backticks name a module, or a module and something defined in it."""
    missing = []
    for doc in DOCS:
        for name in re.findall(r"`((?:guard|ui)(?:\.\w+)+)", doc.read_text(encoding="utf-8")):
            parts = name.split(".")
            for cut in range(len(parts), 0, -1):
                base = ROOT.joinpath(*parts[:cut])
                module = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
                if module.exists():
                    break
            else:
                missing.append(f"{doc.relative_to(ROOT)}: {name}")
                continue
            if cut < len(parts):
                attribute = parts[cut]
                text = module.read_text(encoding="utf-8")
                if not re.search(rf"^\s*(?:class|def|async def) {attribute}\b|^\s*{attribute}\s*[:=]|\"{attribute}\"",
                                 text, re.MULTILINE):
                    missing.append(f"{doc.relative_to(ROOT)}: {name}")
    assert not missing, "the docs quote names that do not exist:\n" + "\n".join(missing)


def test_the_readme_gives_the_defaults_the_parser_has():
    parser = build_parser(full=True)
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    consent = next(a for a in subcommands.choices["consent"]._actions if isinstance(a, argparse._SubParsersAction))
    listing = consent.choices["list"]
    defaults = {action.dest: action.default for action in listing._actions}
    row = next(line for line in COMMAND_TABLE.splitlines() if line.startswith("| `meeting-guard consent list"))
    assert f"default `{defaults['order']}`" in row and f"at most {defaults['limit']} unless" in row, row
    assert set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", row.split("|")[2])) >= set(
        next(a for a in listing._actions if a.dest == "order").choices)


@pytest.mark.parametrize(("words", "options"), LEAVES, ids=[" ".join(words) for words, _ in LEAVES])
def test_every_subcommand_takes_json_as_the_readme_says(words, options):
    assert "Every subcommand takes `--json` (except `browser-host`" in COMMAND_TABLE
    parser = build_parser(full=True)
    for word in words:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[word]
    assert any("--json" in action.option_strings for action in parser._actions), " ".join(words)
