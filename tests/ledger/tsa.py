"""A real RFC 3161 time-stamping authority for the tests: ``openssl ts -reply`` behind a
small HTTP server on 127.0.0.1, with its own CA and a time-stamping certificate made here."""

from __future__ import annotations

import datetime
import http.server
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name | None,
                 issuer_key: ec.EllipticCurvePrivateKey, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


class LocalTsa:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = _certificate("Meeting Privacy Guard test TSA CA", ca_key, None, ca_key, ca=True)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate("Meeting Privacy Guard test TSA", key, ca.subject, ca_key, ca=False)
        (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        (folder / "tsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "tsa.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))
        self.requests = 0

    def reply(self, query: bytes) -> bytes:
        self.requests += 1
        (self.folder / "query.tsq").write_bytes(query)
        subprocess.run(["openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf"), "-queryfile",
                        str(self.folder / "query.tsq"), "-out", str(self.folder / "reply.tsr")],
                       check=True, capture_output=True, timeout=30)
        return (self.folder / "reply.tsr").read_bytes()

    def verify_with_openssl(self, token: bytes, digest: bytes) -> subprocess.CompletedProcess[str]:
        """The token checked by OpenSSL itself against the CA (an independent second opinion)."""
        (self.folder / "token.der").write_bytes(token)
        return subprocess.run(["openssl", "ts", "-verify", "-token_in", "-in", str(self.folder / "token.der"),
                               "-digest", digest.hex(), "-CAfile", str(self.folder / "ca.pem"), "-untrusted",
                               str(self.folder / "tsa.pem")], capture_output=True, text=True, timeout=30, check=False)


@contextmanager
def local_tsa() -> Iterator[tuple[str, LocalTsa]]:
    """``(url, tsa)``: the TSA served over HTTP on 127.0.0.1 until the block ends."""
    with tempfile.TemporaryDirectory(prefix="mpg-tsa-") as folder:
        tsa = LocalTsa(Path(folder))

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server's name)
                query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                body = tsa.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        with _served(Handler) as url:
            yield url, tsa


class DrippingTsa:
    """What the dripping server saw: whether the client hung up before the headers were all sent."""

    HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nX-Drip: one byte a second\r\n\r\n"

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.gave_up = threading.Event()  # the client closed the connection mid-headers
        self.finished = threading.Event()  # every header byte went out: nobody cut the exchange off


@contextmanager
def dripping_tsa() -> Iterator[tuple[str, DrippingTsa]]:
    """``(url, seen)``: a server on 127.0.0.1 that takes the time-stamp query, then sends its
    status line and headers one byte a second (about 90 s in all), so only a deadline over the
    whole exchange ends it in time; each byte on its own comes well within any read timeout."""
    seen = DrippingTsa()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (http.server's name)
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.asked.set()
            try:
                for index in range(len(seen.HEAD)):
                    self.wfile.write(seen.HEAD[index:index + 1])
                    self.wfile.flush()
                    if seen.gave_up.wait(1.0):
                        return
                seen.finished.set()
            except (BrokenPipeError, ConnectionResetError):
                seen.gave_up.set()

        def log_message(self, *args: object) -> None:
            pass

    with _served(Handler) as url:
        try:
            yield url, seen
        finally:
            seen.gave_up.set()  # ends a handler still dripping, before the server stops


@contextmanager
def _served(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """The TSA address of ``handler`` served on 127.0.0.1 by a thread, until the block ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
