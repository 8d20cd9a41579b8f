"""A collection statement is read as content-licence (corpus guideline 16), whose own uses say
nothing of collecting; its summary says the provider now collects, or no longer collects, what the
sentence names, and the severity stays as the scope of the topic gives it. Plain sentences written
for the form, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

from guard.terms.analysis import analyse

BEFORE = ("# Privacy\n\n## 2. Information we collect\n\nWe collect your name and e-mail address.\n\n"
          "## 3. Contact\n\nWrite to the privacy team.\n")
COLLECTED = "We collect the content of your messages and the files you upload."


def _change(old: str, new: str):  # type: ignore[no-untyped-def]
    (change,) = [c for c in analyse(old, new) if c.relevant]
    return change


def test_a_new_collection_statement_says_the_provider_now_collects_what_it_names() -> None:
    change = _change(BEFORE, BEFORE.replace("address.\n\n", f"address.\n\n{COLLECTED}\n\n"))
    assert change.topics == ("content-licence",)
    assert "now allows collecting your content" in (change.summary or "")


def test_a_dropped_collection_statement_says_the_provider_no_longer_collects_it() -> None:
    change = _change(BEFORE.replace("address.\n\n", f"address.\n\n{COLLECTED}\n\n"), BEFORE)
    assert "no longer allows collecting your content" in (change.summary or "")


def test_a_licence_keeps_its_own_summary() -> None:
    licence = "You grant us a worldwide licence to use the content you upload to provide the service."
    change = _change(BEFORE, BEFORE.replace("address.\n\n", f"address.\n\n{licence}\n\n"))
    assert "a licence over" in (change.summary or "")
    assert "collecting" not in (change.summary or "")
