"""An outside witness for the ledger: RFC 3161 time stamps of its newest record from a
time-stamping authority (TSA) the user chooses. Off unless asked for, since it uses the
network: ``meeting-guard consent timestamp --tsa URL`` (or :meth:`Ledger.timestamp`). Like terms
fetching, it obeys the app's one network switch (``[terms] network_enabled``): with the network
off, nothing is sent.

What is stamped is SHA-256 of ``"meeting-privacy-guard/ledger/witness/v1\\n" + ledger_id +
"\\n" + seq + "\\n" + hash``: through the hash chain, a stamp on record ``seq`` shows that
every record up to it existed, exactly as it is, at the TSA's time. The token (the TSA's own
signed answer) is kept in the ledger; ``verify`` checks each token's signature with the
certificate inside it and that the record it names is still the one stamped.

Limits, said plainly: the TSA's certificate chain is not checked here (compare its
fingerprint, or run ``openssl ts -verify`` with the TSA's CA certificate); a stamp removed
from the file is not noticed (a stamp only ever adds evidence).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from guard.ledger import der
from guard.ledger.errors import LedgerError

if TYPE_CHECKING:
    import requests

SHA256 = "2.16.840.1.101.3.4.2.1"
_HashType = type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512 | hashes.SHA1]
_HASHES: dict[str, _HashType] = {SHA256: hashes.SHA256, "2.16.840.1.101.3.4.2.2": hashes.SHA384,
                                 "2.16.840.1.101.3.4.2.3": hashes.SHA512, "1.3.14.3.2.26": hashes.SHA1}
_SIGNED_DATA, _TST_INFO, _MESSAGE_DIGEST = "1.2.840.113549.1.7.2", "1.2.840.113549.1.9.16.1.4", "1.2.840.113549.1.9.4"
_TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
MAX_RESPONSE = 64 * 1024
WITNESS_CONTEXT = "meeting-privacy-guard/ledger/witness/v1"


class TimestampError(LedgerError):
    """The TSA could not be reached, refused, or answered with something that is not a valid
    time stamp for the request; the message names the TSA and what happened."""


@dataclass(frozen=True)
class Witness:
    """A TSA's time stamp of record ``seq`` (hash ``hash``) of a ledger."""

    seq: int
    hash: str
    tsa_url: str
    token: bytes  # the DER TimeStampToken (CMS SignedData), as the TSA sent it
    gen_time: str  # the TSA's time, UTC ISO 8601
    tsa_certificate_sha256: str
    tsa_subject: str


def witness_digest(ledger_id: str, seq: int, record_hash: str) -> bytes:
    return hashlib.sha256(f"{WITNESS_CONTEXT}\n{ledger_id}\n{seq}\n{record_hash}".encode("ascii")).digest()


def request(digest: bytes, nonce: int) -> bytes:
    """A DER TimeStampReq for a SHA-256 ``digest``, asking for the TSA's certificate."""
    imprint = der.sequence(der.sequence(der.oid(SHA256), der.encode(der.NULL, b"")),
                           der.encode(der.OCTET_STRING, digest))
    return der.sequence(der.integer(1), imprint, der.integer(nonce), der.encode(der.BOOLEAN, b"\xff"))


@dataclass(frozen=True)
class Checked:
    gen_time: datetime
    certificate_sha256: str
    subject: str


def check_token(token: bytes, digest: bytes, nonce: int | None = None) -> Checked:
    """Check a TimeStampToken: it stamps ``digest`` (and ``nonce``, when given), and its
    signature verifies with the certificate it carries, which is for time stamping. Raises
    ValueError saying what is wrong."""
    content = der.parse(token).children()
    if content[0].oid() != _SIGNED_DATA:
        raise ValueError("the token is not CMS signed data")
    signed = content[1].children()[0].children()
    encap = signed[2].children()
    if encap[0].oid() != _TST_INFO:
        raise ValueError("the token does not hold a time-stamp (TSTInfo)")
    tst_der = encap[1].children()[0].value
    tst = der.parse(tst_der).children()
    imprint = tst[2].children()
    if imprint[0].children()[0].oid() != SHA256 or imprint[1].value != digest:
        raise ValueError("the time stamp is for something else (its message imprint differs)")
    gen_time = _generalized_time(tst[4].value.decode("ascii"))
    if nonce is not None:
        nonces = [node.integer() for node in tst[5:] if node.tag == der.INTEGER]
        if nonces != [nonce]:
            raise ValueError("the time stamp answers another request (its nonce differs)")
    certificates = [x509.load_der_x509_certificate(node.raw) for node in signed[3].children()] \
        if len(signed) > 4 and signed[3].tag == 0xA0 else []
    signer = signed[-1].children()[0].children()
    certificate = _verify_signer(signer, tst_der, certificates)
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    return Checked(gen_time, fingerprint, certificate.subject.rfc4514_string())


def _verify_signer(signer: list[der.Node], content: bytes, certificates: list[x509.Certificate]) -> x509.Certificate:
    digest_oid = signer[2].children()[0].oid()
    hash_type = _HASHES.get(digest_oid)
    if hash_type is None:
        raise ValueError(f"the TSA used an unknown digest ({digest_oid})")
    if signer[3].tag != 0xA0:
        raise ValueError("the TSA's signature has no signed attributes")
    attributes = signer[3]
    found = [a.children()[1].children()[0].value for a in attributes.children() if a.children()[0].oid() ==
             _MESSAGE_DIGEST]
    algorithm = hash_type()
    computed = hashlib.new(algorithm.name, content).digest()
    if found != [computed]:
        raise ValueError("the TSA's signed digest does not match the time stamp")
    signed_bytes = der.encode(der.SET, attributes.value)  # signed as a SET, stored as [0]
    signature = signer[5].value
    for certificate in certificates:
        if _verifies(certificate, signature, signed_bytes, algorithm):
            usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            if x509.ObjectIdentifier(_TIME_STAMPING) not in usage:
                raise ValueError("the signing certificate is not for time stamping")
            return certificate
    raise ValueError("the TSA's signature does not verify with the certificate it sent (or it sent none)")


def _verifies(certificate: x509.Certificate, signature: bytes, data: bytes, hash_type: hashes.HashAlgorithm) -> bool:
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hash_type)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hash_type))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _generalized_time(text: str) -> datetime:
    if not text.endswith("Z"):
        raise ValueError("the TSA's time has no zone")
    main, _, fraction = text[:-1].partition(".")
    moment = datetime.strptime(main, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return moment.replace(microsecond=int((fraction + "000000")[:6])) if fraction else moment


NETWORK_OFF = ("Nothing was sent to the time-stamping authority {url}: network access is switched off "
               "([terms] network_enabled = false, or the setting could not be read). To allow it, tick the "
               "network box in Preferences or set network_enabled = true under [terms] in {settings}.")


def fetch(url: str, digest: bytes, *, network_enabled: bool, timeout_s: float = 15.0,
          settings_file: str = "the settings file") -> tuple[bytes, int]:
    """Ask the TSA at ``url`` to stamp ``digest``: ``(token, nonce)``. One deadline of
    ``timeout_s`` covers the whole exchange: the name lookup (done once, here), the connection and
    every byte of the answer, its status line and headers included (a TSA that drips them is cut
    off: guard.net.deadline). No redirect is followed and the answer is capped at 64 KB. The
    address is the user's choice, so one on their own network is allowed. With ``network_enabled``
    false nothing is looked up or sent (``settings_file`` names where to allow it). Raises
    TimestampError."""
    if not network_enabled:
        raise TimestampError(NETWORK_OFF.format(url=url, settings=settings_file))
    import requests  # only when a time stamp is asked for
    from requests.utils import get_environ_proxies

    from guard.net.deadline import DeadlineAdapter, deadline
    from guard.net.pinning import pinned, route_once

    if not url.startswith(("https://", "http://")):
        raise TimestampError(f"The time-stamping authority {url!r} is not an http(s) address.")
    nonce = secrets.randbits(63)
    ends = time.monotonic() + timeout_s
    proxies = {scheme: proxy for scheme, proxy in get_environ_proxies(url).items()
               if scheme in ("http", "https", "all") and proxy}
    with requests.Session() as session, deadline(timeout_s) as watch:
        adapter = DeadlineAdapter(max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        try:
            with pinned(route_once(url, proxies, min(5.0, timeout_s))):
                body = _exchange(session, url, proxies, request(digest, nonce), timeout_s, ends)
        except requests.RequestException as error:  # before OSError, which it is too
            if watch.expired:  # the deadline shut the connection
                raise TimestampError(f"The time-stamping authority {url} did not answer within {timeout_s:g} s; "
                                     "nothing was kept.") from None
            raise TimestampError(f"Could not reach the time-stamping authority {url}: {error}.") from None
        except (OSError, ValueError) as error:  # the name lookup (TimeoutError is an OSError)
            raise TimestampError(f"Could not reach the time-stamping authority {url}: {error}.") from None
    try:
        answer = der.parse(body).children()
        status = answer[0].children()[0].integer()
        if status not in (0, 1) or len(answer) < 2:
            raise TimestampError(f"The time-stamping authority {url} refused the request (status {status}).")
        return answer[1].raw, nonce
    except ValueError as error:
        raise TimestampError(f"The time-stamping authority {url} sent no valid time stamp ({error}).") from None


def _exchange(session: requests.Session, url: str, proxies: dict[str, str], query: bytes, timeout_s: float,
              ends: float) -> bytes:
    """POST the query and read the answer, refusing anything but a 200 within the caps."""
    with session.post(url, data=query, stream=True, allow_redirects=False, proxies=proxies,
                      timeout=(min(5.0, timeout_s), timeout_s),
                      headers={"Content-Type": "application/timestamp-query", "Connection": "close",
                               "User-Agent": "meeting-privacy-guard (consent ledger time stamp)"}) as response:
        if response.status_code != 200:
            raise TimestampError(f"The time-stamping authority {url} answered HTTP {response.status_code}.")
        body = bytearray()
        for chunk in response.iter_content(8192):
            body += chunk
            if len(body) > MAX_RESPONSE or time.monotonic() > ends:
                raise TimestampError(f"The time-stamping authority {url} sent too much, or too slowly.")
    return bytes(body)
