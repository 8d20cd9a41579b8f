"""Merging a Wayland desktop's window list with Xwayland's: each window once, by pid and title."""

from guard.detect.windows import WindowInfo
from guard.detect.windows.wayland import merge_windows


def test_a_window_in_both_lists_is_listed_once_and_the_desktops_copy_wins():
    desktop = [WindowInfo("Zoom Meeting", 10, 1, "zoom"), WindowInfo("Notes", 11, 2)]
    xwayland = [WindowInfo("Zoom Meeting", 10, 0x1E00003), WindowInfo("Legacy app", 12, 0x1E00007)]
    merged = merge_windows([desktop, xwayland])
    assert [(w.title, w.pid, w.window_id) for w in merged] == [
        ("Zoom Meeting", 10, 1), ("Notes", 11, 2), ("Legacy app", 12, 0x1E00007)]


def test_same_title_of_two_processes_is_two_windows():
    merged = merge_windows([[WindowInfo("Zoom Meeting", 10)], [WindowInfo("Zoom Meeting", 20)]])
    assert [w.pid for w in merged] == [10, 20]
