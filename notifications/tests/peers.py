"""Local peers on loopback: an SMTP server, and a web push service (RFC 8030) that checks VAPID (RFC 8292)
and decrypts (RFC 8291).

Each subscription gets its own client key pair, so the service can decrypt what the app sent with the
subscription's private key, as the browser would.
"""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Device:
    """A browser's subscription: endpoint, its private key and auth secret."""

    def __init__(self, service, name: str):
        self.endpoint = f"{service.origin}/push/{name}"
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh, self.auth_b64 = b64encode(public), b64encode(self.auth)


class PushService:
    def __init__(self, server_public_key: str):
        self.server_public_key = server_public_key
        self.received: list[tuple[str, dict]] = []  # (device name, decrypted JSON payload)
        self.errors: list[str] = []
        self.answers: dict[str, int] = {}  # device name -> status to answer (default 201)
        self.devices: dict[str, Device] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def device(self, name: str) -> Device:
        self.devices[name] = Device(self, name)
        return self.devices[name]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def check_vapid(self, header: str) -> str | None:
        """The error in a `vapid t=<jwt>, k=<key>` header, or None when it is valid for this origin."""
        if not header.lower().startswith("vapid "):
            return "no vapid scheme"
        parts = dict(p.strip().split("=", 1) for p in header[6:].split(","))
        token, key = parts.get("t", ""), parts.get("k", "")
        if key != self.server_public_key:
            return "unknown application server key"
        head, body, signature = token.split(".")
        raw = b64decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(key))
        try:
            public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return "bad signature"
        claims = json.loads(b64decode(body))
        if json.loads(b64decode(head)).get("alg") != "ES256":
            return "not ES256"
        if claims.get("aud") != self.origin:
            return f"wrong audience {claims.get('aud')}"
        if not claims.get("sub", "").startswith(("mailto:", "https:")):
            return "no subject"
        if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
            return "bad expiry"
        return None

    def handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real push services speak it

            def log_message(self, *args):
                pass

            def do_POST(self):
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.answers.get(name, 201)
                device = service.devices.get(name)
                error = service.check_vapid(self.headers.get("Authorization", ""))
                if device is None:
                    status = 404
                elif error:
                    service.errors.append(error)
                    status = 401
                elif self.headers.get("Content-Encoding") != "aes128gcm" or not self.headers.get("TTL"):
                    service.errors.append("headers")
                    status = 400
                elif status == 201:
                    plain = http_ece.decrypt(
                        body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
                    )
                    with service.lock:
                        service.received.append((name, json.loads(plain)))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


class Mailbox:
    """An SMTP peer that can be slow, and can be stopped and started again on the same port."""

    def __init__(self, delay: float = 0.0, *, parse: bool = True):
        import socket

        self.delay, self.parse, self.messages, self.controller = delay, parse, [], None
        self.count = 0
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        import email.policy

        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        if self.parse:
            self.messages.append(
                email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            )
        return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
