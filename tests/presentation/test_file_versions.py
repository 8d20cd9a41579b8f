"""The two-look rule for settings.toml edited while the app runs (plain values)."""

from guard.presentation.file_versions import settled


def test_a_new_version_is_used_only_when_the_next_look_finds_it_again():
    use, pending = settled("v2", ("v1",), None)
    assert (use, pending) == (False, "v2")  # seen once: an editor may be half-way through
    assert settled("v2", ("v1",), pending) == (True, "v2")


def test_a_version_gone_by_the_next_look_is_not_used():
    _, pending = settled("empty", ("v1",), None)  # caught mid-write
    assert settled("v2", ("v1",), pending) == (False, "v2")


def test_a_version_in_use_or_reported_already_is_nothing_to_do_and_forgets_what_was_pending():
    assert settled("v1", ("v1", None), "v2") == (False, None)
    assert settled("v3", ("v1", "v3"), "v3") == (False, None)
