"""A promise turned round: a use the old wording ruled out ("does not use ... to train") that the new
wording allows ("may use ... to train") is said as what it is, "now allows training AI on ...", and is
material; the reverse already read "now rules out". Plain sentences written for the test in the shape of a
terms clause, not taken from any provider; the shipped rules are used."""

from __future__ import annotations

from guard.terms.analysis import analyse

CLAUSE = ("# Terms\n\n## 10. Customer Content\n\n10.2 {sentence}\n\n## 11. Contact\n\nWrite to the legal team.\n")
RULED_OUT = ("The Provider does not use any of your audio, video, chat or other Customer Content to train "
             "artificial intelligence models.")
ALLOWED = ("The Provider may use your audio, video, chat or other Customer Content to train artificial "
           "intelligence models.")


def _change(old: str, new: str):  # type: ignore[no-untyped-def]
    (change,) = [c for c in analyse(CLAUSE.format(sentence=old), CLAUSE.format(sentence=new)) if c.relevant]
    return change


def test_a_promise_not_to_train_turned_into_a_permission_says_it_now_allows_training() -> None:
    change = _change(RULED_OUT, ALLOWED)
    assert "ai-training" in change.topics and str(change.severity) == "material"
    assert "now allows training AI on" in (change.summary or ""), change.summary
    assert "changed its wording" not in (change.summary or "")


def test_the_same_with_an_opt_out_added_also_says_so() -> None:
    change = _change(RULED_OUT, ALLOWED.replace("models.", "models, unless you opt out."))
    assert "now allows training AI on" in (change.summary or ""), change.summary


def test_a_permission_turned_into_a_promise_not_to_train_says_it_now_rules_it_out() -> None:
    change = _change(ALLOWED, RULED_OUT)
    assert "now rules out training AI on" in (change.summary or ""), change.summary
