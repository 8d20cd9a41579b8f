"""User catalog files that are not plain text files, and user patterns that would backtrack (issue 16.16).

A named pipe called ``x.toml`` hung start-up; a link to ``/dev/zero`` was read until the kernel
killed the app; ``^(a+)+$`` made every scan take 50 s. Each is now a problem that names the file,
or (for the pattern) costs what any other pattern costs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from guard.catalog import load_catalog
from guard.catalog.loader import MAX_FILE_BYTES
from guard.detect.matching import DetectionRules
from guard.patterns import COUNTER

SHIPPED = '''
id = "jitsi-meet"
name = "Jitsi Meet"
vendor = "8x8"
kind = "browser-meeting"
homepage = "https://jitsi.org/"
'''


def _user(text: str, provider_id: str = "mine") -> str:
    return (f'id = "{provider_id}"\nname = "Mine"\nvendor = "Me"\nkind = "browser-meeting"\n'
            f'homepage = "https://example.org/"\n{text}')


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "shipped"
    folder.mkdir()
    (folder / "jitsi-meet.toml").write_text(SHIPPED, encoding="utf-8")
    return folder


def _load_with_timeout(shipped: Path, user: Path):
    """Load in a thread: a regression (blocking on a pipe) fails the test instead of hanging the suite."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(load_catalog(shipped=shipped, user=user)), daemon=True)
    thread.start()
    thread.join(30)
    assert result, "loading the catalog blocked"
    return result[0]


def test_a_named_pipe_in_the_user_catalog_is_skipped_not_waited_on(tmp_path, shipped):
    user = tmp_path / "user"
    user.mkdir()
    os.mkfifo(user / "x.toml")
    (user / "mine.toml").write_text(_user(""), encoding="utf-8")
    catalog = _load_with_timeout(shipped, user)
    assert set(catalog.providers) == {"jitsi-meet", "mine"}
    (problem,) = catalog.problems
    assert problem.file == user / "x.toml" and "named pipe" in problem.message()
    assert str(user / "x.toml") in problem.message()


def test_a_link_to_dev_zero_is_not_read(tmp_path, shipped):
    user = tmp_path / "user"
    user.mkdir()
    (user / "zero.toml").symlink_to("/dev/zero")
    catalog = _load_with_timeout(shipped, user)
    (problem,) = catalog.problems
    assert problem.file == user / "zero.toml" and "character device" in problem.reason


def test_an_oversized_file_and_a_folder_are_refused(tmp_path, shipped):
    user = tmp_path / "user"
    user.mkdir()
    (user / "big.toml").write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    (user / "folder.toml").mkdir()
    catalog = _load_with_timeout(shipped, user)
    reasons = {problem.file.name: problem.reason for problem in catalog.problems}
    assert "read only up to" in reasons["big.toml"]
    assert "a folder" in reasons["folder.toml"]


def test_a_link_to_a_regular_file_is_read(tmp_path, shipped):
    user = tmp_path / "user"
    user.mkdir()
    real = tmp_path / "dotfiles" / "mine.toml"
    real.parent.mkdir()
    real.write_text(_user(""), encoding="utf-8")
    (user / "mine.toml").symlink_to(real)
    catalog = _load_with_timeout(shipped, user)
    assert "mine" in catalog.providers and not catalog.problems


def test_a_pattern_re2_cannot_run_names_file_field_and_pattern(tmp_path, shipped):
    user = tmp_path / "user"
    user.mkdir()
    path = user / "mine.toml"
    path.write_text(_user("[detect.web]\nmeeting_window_titles = ['^Meet', '(?<!Not )Zoom']\n"), encoding="utf-8")
    catalog = load_catalog(shipped=shipped, user=user)
    (problem,) = catalog.problems
    assert problem.file == path and problem.field == "detect.web.meeting_window_titles[1]"
    assert "'(?<!Not )Zoom'" in problem.reason and "lookbehind" in problem.reason
    assert "mine" not in catalog.providers


def test_a_catastrophic_user_pattern_costs_one_linear_pass(tmp_path, shipped):
    """Issue 16.16: ``^(a+)+$`` took 50 s per scan on a 29-character title."""
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(_user("[detect.web]\nmeeting_window_titles = ['^(a+)+$']\n"), encoding="utf-8")
    catalog = load_catalog(shipped=shipped, user=user)
    assert not catalog.problems
    rules = DetectionRules.from_catalog(catalog, "linux")
    before = COUNTER.snapshot()
    assert rules.match_browser_window("a" * 28 + "!") == []
    calls, chars = (now - then for now, then in zip(COUNTER.snapshot(), before, strict=True))
    assert calls >= 1 and chars <= 29 * calls
    assert [m.provider_id for m in rules.match_browser_window("a" * 29)] == ["mine"]


@pytest.mark.parametrize("deep", ["[" * 5000 + "]" * 5000, "{a=" * 3000 + "1" + "}" * 3000],
                         ids=["arrays", "inline tables"])
def test_deeply_nested_user_file_is_a_problem_not_a_crash(tmp_path: Path, deep: str):
    """Audit round two: a 10 kB user file of nested brackets raised RecursionError out of the
    loader, so the app and every command that reads the catalog died at start."""
    (tmp_path / "deep.toml").write_text(f'id = "deep"\nx = {deep}\n', encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    [problem] = catalog.problems
    assert problem.file == tmp_path / "deep.toml" and "nested too deeply" in problem.reason
    assert catalog.get("zoom") is not None


def test_a_user_pattern_that_makes_re2_slow_is_refused_naming_it(tmp_path, shipped):
    """Audit round two: RE2 is linear in the text, not free: 'a.{0,200}b.{0,200}c.{0,200}d' (program
    size 5,408) took ~55 ms per 4 kB title of 'a', 'b', 'c' and spaces, against 0.3 ms for every
    shipped pattern together. One is refused at load, naming it."""
    user = tmp_path / "user"
    user.mkdir()
    costly = r"(?i)a.{0,200}b.{0,200}c.{0,200}d"
    (user / "mine.toml").write_text(_user(f"[detect.web]\nmeeting_window_titles = ['^Meet', '{costly}']\n"),
                                    encoding="utf-8")
    catalog = load_catalog(shipped=shipped, user=user)
    (problem,) = catalog.problems
    assert problem.field == "detect.web.meeting_window_titles[1]" and "too costly" in problem.reason
    assert "mine" not in catalog.providers


def test_user_patterns_together_stay_within_a_budget(tmp_path, shipped):
    """Many patterns each under the limit (a 512 kB file holds thousands): 300 of program size 245
    took ~1.1 s per hostile 4 kB title per tick. Files past the shared budget are skipped, said so."""
    user = tmp_path / "user"
    user.mkdir()
    patterns = ", ".join(f"'(?i)[a-c]{{0,60}}[a-c ]{{60}}d{n}'" for n in range(12))  # 12 x ~250
    for name in ("a-first", "b-second"):
        (user / f"{name}.toml").write_text(_user(f"[detect.web]\nmeeting_window_titles = [{patterns}]\n", name),
                                           encoding="utf-8")
    catalog = load_catalog(shipped=shipped, user=user)
    assert "a-first" in catalog.providers and "b-second" not in catalog.providers
    (problem,) = catalog.problems
    assert problem.file == user / "b-second.toml" and "at most 4,000" in problem.reason


def test_every_shipped_pattern_is_within_the_cost_limit():
    from guard.catalog.models import PATTERN_COST_LIMIT

    from tests.catalog.pattern_costs import costs

    catalog = load_catalog()
    assert not catalog.problems
    # What a title and a link cost: every title pattern, and the link patterns one link runs through behind
    # the host prefilter (guard.detect.link_hosts), at the user budget's scale.
    assert costs(catalog)["budget_measure"] < 2 * 4000
    assert PATTERN_COST_LIMIT >= 222


def test_user_files_together_are_read_only_up_to_a_total(tmp_path, shipped):
    """Audit round two: each file is capped at 512 kB but their number at 1,000: 40 files of
    505 kB added 1.1 s and their text to memory at every start (1,000 of them: ~27 s, ~0.5 GB)."""
    from guard.catalog.loader import MAX_USER_BYTES

    user = tmp_path / "user"
    user.mkdir()
    padding = ("# " + "x" * 100 + "\n") * 4_500  # ~450 kB of comment (a note that long is refused itself)
    count = MAX_USER_BYTES // len(padding) + 2
    for n in range(count):
        (user / f"f{n:03}.toml").write_text(_user(padding, f"big{n}"), encoding="utf-8")
    catalog = load_catalog(shipped=shipped, user=user)
    loaded = [n for n in range(count) if f"big{n}" in catalog.providers]
    assert loaded == list(range(len(loaded))) and 0 < len(loaded) < count
    assert {p.file.name for p in catalog.problems} == {f"f{n:03}.toml" for n in range(len(loaded), count)}
    assert all("at most" in p.reason for p in catalog.problems)


@pytest.mark.parametrize("foreign", ["file", "folder"])
def test_a_user_catalog_file_of_another_user_is_not_read_hostile(shipped, tmp_path, foreign):
    """A config folder in a shared place: another user's file that overrides a provider (its AI
    features gone, so nothing is told about them) is named and skipped; the shipped entry stands."""
    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    user = tmp_path / "user"
    user.mkdir()
    planted = user / "jitsi-meet.toml"
    planted.write_text('id = "jitsi-meet"\nname = "Not Jitsi"\n', encoding="utf-8")
    os.chown(planted if foreign == "file" else user, 65534, 65534)
    catalog = load_catalog(shipped, user)
    assert catalog.get("jitsi-meet").name == "Jitsi Meet", "another user's file changed a provider"
    (problem,) = [p for p in catalog.problems if p.file == planted]
    assert "belongs to another user (uid 65534)" in problem.message() and str(planted) in problem.message()
