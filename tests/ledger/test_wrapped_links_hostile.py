"""A meeting link pasted as the mail gateway rewrote it keeps no secret in the signed record.

Organisations behind Outlook Safe Links, Proofpoint, Sophos or Amazon SES tracking get every link in
an invitation rewritten; a user who copies the link into the consent form, the add-a-record dialog or
``consent add --meeting-id`` pastes the wrapper. Its query carries the meeting link encoded (Proofpoint
v2's ``-3D``, Sophos' base64, SES's path), where the passcode is no parameter of the wrapper's own, and
Safe Links' ``data=`` names the recipient's mail address. Detection reports the meeting link inside
(guard.detect.link_forms); the ledger keeps the same, its passcode cut.
"""

from __future__ import annotations

from base64 import b64encode

import pytest

from guard.ledger import RecordDraft

LINK = "https://us02web.zoom.us/j/81234567890?pwd=Zk9sbWJ3dTRjZz09"
KEPT = "https://us02web.zoom.us/j/81234567890?pwd=…"
# Forms from Proofpoint's URLDefenseDecode.py (v2), ninoseki/kachi's rules and tests (Sophos, SES), and
# MeetingBar's cleanupOutlookSafeLinks (Safe Links' url= and data=).
WRAPPED = {
    "proofpoint-v2": "https://urldefense.proofpoint.com/v2/url?u=https-3A__us02web.zoom.us_j_81234567890-3Fpwd-3D"
                     "Zk9sbWJ3dTRjZz09&d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrwqOf-v5A_CdpgnVfiiMM&r=abc&m=def&s=ghi&e=",
    "sophos": "https://eu-central-1.protection.sophos.com/?d=zoom.us&u=" + b64encode(LINK.encode()).decode()
              + "&i=NWY0&t=dGVzdA==&h=abc",
    "ses": "https://a1b2.r.us-east-1.awstrack.me/L0/https:%2F%2Fus02web.zoom.us%2Fj%2F81234567890%3Fpwd=Zk9sbWJ3dTRj"
           "Zz09/1/0100018c/Xy1=",
    "safe-links": "https://nam11.safelinks.protection.outlook.com/?url=https%3A%2F%2Fus02web.zoom.us%2Fj%2F81234567890"
                  "%3Fpwd%3DZk9sbWJ3dTRjZz09&data=05%7C01%7Calice.smith%40example.com%7C5e0a%7C&sdata=q1w2&reserved=0",
}
SECRETS = ("Zk9sbWJ3dTRjZz09", b64encode(LINK.encode()).decode()[:40], "alice.smith")


@pytest.mark.parametrize("wrapper", sorted(WRAPPED))
def test_a_pasted_wrapped_link_is_stored_as_the_meeting_link_without_its_passcode_hostile(ledger, wrapper):
    record = ledger.append(RecordDraft("zoom", "given", meeting={"title": "Weekly sync",
                                                                 "id_or_link": WRAPPED[wrapper]}))
    stored = ledger.get(record.id).meeting.id_or_link
    assert not any(secret in stored for secret in SECRETS), stored
    assert stored == KEPT, "the meeting link detection would show, not the gateway's wrapper"


def test_a_wrapped_link_pasted_with_spaces_around_it_is_unwrapped_too_hostile(ledger):
    record = ledger.append(RecordDraft("zoom", "given", meeting={"id_or_link": f"  {WRAPPED['proofpoint-v2']}\n"}))
    assert record.meeting.id_or_link == KEPT


def test_a_redirect_to_a_script_is_not_taken_for_the_link_it_names_hostile(ledger):
    wrapper = "https://www.google.com/url?q=javascript://x%0Aalert(document.cookie)&sa=D"
    record = ledger.append(RecordDraft("zoom", "given", meeting={"id_or_link": wrapper}))
    assert record.meeting.id_or_link == wrapper, "kept as pasted: no redirect to a meeting was unwrapped"


def test_a_link_no_wrapper_holds_is_kept_as_typed(ledger):
    typed = "https://www.google.com/search?q=zoom+passcode"
    record = ledger.append(RecordDraft("zoom", "given", meeting={"id_or_link": typed}))
    assert record.meeting.id_or_link == typed
