"""Local peers that speak the engines' HTTP APIs, for tests and the benchmark: nothing leaves the machine.

`LibreTranslatePeer` answers POST /translate, GET /languages and POST /detect; `DeepLPeer` answers
POST /v2/translate and GET /v2/languages with its key check. Both translate with a fixed dictionary (whole
phrases, any case, between tags only, leaving `translate="no"` spans alone unless told to misbehave), count
their calls, and can be made slow (`delay`) or broken (`fail`).
"""

import html
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DICTIONARY = {
    "ar": {
        "beste ouders": "أعزائي الآباء",
        "morgen": "غدًا",
        "is er": "يوجد",
        "geen school": "لا مدرسة",
        "heeft een": "رسمت",
        "roos": "وردة",
        "getekend": "اليوم",
        "groep": "الصف",
        "dank je wel": "شكرا جزيلا",
        "tot morgen": "إلى الغد",
        "nieuw bericht in": "رسالة جديدة في",
    },
    "tr": {"beste ouders": "Sevgili veliler", "morgen": "yarın", "is er": "var", "geen school": "okul yok"},
    "pl": {
        "beste ouders": "Drodzy rodzice",
        "morgen": "jutro",
        "is er": "jest",
        "geen school": "brak szkoły",
    },
    "uk": {"beste ouders": "Шановні батьки", "morgen": "завтра", "is er": "є", "geen school": "немає школи"},
    "en": {
        "beste ouders": "Dear parents",
        "morgen": "tomorrow",
        "is er": "there is",
        "geen school": "no school",
    },
    "ti": {"beste ouders": "ክቡራት ወለዲ", "morgen": "ጽባሕ", "is er": "ኣሎ", "geen school": "ትምህርቲ የለን"},
    "nl": {"شكرا جزيلا": "dank je wel", "ابني مريض": "mijn zoon is ziek", "thank you": "dank je wel"},
}
LANGUAGES = sorted(DICTIONARY)
_TAG = re.compile(r"(<[^>]*>)")
_NO = re.compile(r"""<span\b[^>]*\btranslate=["']?no""", re.IGNORECASE)


def dictionary_translate(markup: str, target: str, *, honour_no: bool = True) -> str:
    """Replace known phrases in the text between tags; leave `translate="no"` spans as they are."""
    words = DICTIONARY.get(target, {})
    pattern = re.compile(
        "|".join(re.escape(html.escape(word, quote=False)) for word in sorted(words, key=len, reverse=True))
        or "(?!)",
        re.IGNORECASE,
    )
    out, depth = [], 0
    for index, part in enumerate(_TAG.split(markup)):
        if index % 2:  # a tag
            if depth or (honour_no and _NO.match(part)):
                depth += 1 if part.lower().startswith("<span") else -1 if part.lower() == "</span>" else 0
            out.append(part)
            continue
        if depth:
            out.append(part)
        else:
            out.append(
                pattern.sub(lambda m: html.escape(words[html.unescape(m.group(0)).lower()], False), part)
            )
    return "".join(out)


class _Peer:
    languages = LANGUAGES

    def __init__(self):
        self.calls = 0  # translate requests answered (or failed on purpose)
        self.requests: list[dict] = []
        self.delay = 0.0
        self.fail = False
        self.honour_no = True
        self._lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                peer._answer(self, "GET")

            def do_POST(self):
                peer._answer(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if handler.headers.get("Content-Type", "").startswith("application/json"):
            payload = json.loads(raw or b"{}")
        else:
            payload = {k: v if len(v) > 1 else v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        status, body = self.route(method, handler.path, payload, handler.headers)
        if self.delay:
            time.sleep(self.delay)
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client gave up waiting (a timeout test)
            pass

    def count(self, payload: dict) -> None:
        with self._lock:
            self.calls += 1
            self.requests.append(payload)


class LibreTranslatePeer(_Peer):
    api_key = ""

    def route(self, method, path, payload, headers):
        if self.api_key and payload.get("api_key") != self.api_key and path != "/languages":
            return 403, {"error": "Invalid API key"}
        if method == "GET" and path == "/languages":
            return 200, [{"code": code, "name": code, "targets": LANGUAGES} for code in self.languages]
        if method == "POST" and path == "/detect":
            return 200, [{"confidence": 90.0, "language": "nl"}]
        if method == "POST" and path == "/translate":
            self.count(payload)
            if self.fail:
                return 500, {"error": "the peer was told to fail"}
            texts = payload.get("q")
            single = isinstance(texts, str)
            texts = [texts] if single else list(texts or [])
            target = payload.get("target", "")
            if target not in self.languages:
                return 400, {"error": f"{target} is not supported"}
            out = [self.translate_one(text, target, payload.get("format", "text")) for text in texts]
            detected = {"confidence": 90.0, "language": "nl"}
            if single:
                return 200, {"translatedText": out[0], "detectedLanguage": detected}
            return 200, {"translatedText": out, "detectedLanguage": [detected] * len(out)}
        return 404, {"error": "Not Found"}

    def translate_one(self, text: str, target: str, format: str) -> str:
        if format == "html":
            return dictionary_translate(text, target, honour_no=self.honour_no)
        return html.unescape(dictionary_translate(html.escape(text, quote=False), target))


class DeepLPeer(_Peer):
    api_key = "peer-key:fx"

    def route(self, method, path, payload, headers):
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.api_key}":
            return 403, {"message": "Wrong authorization"}
        if method == "GET" and path.startswith("/v2/languages"):
            codes = {"en": "EN-GB", "pt": "PT-PT"}
            return 200, [{"language": codes.get(code, code.upper()), "name": code} for code in self.languages]
        if method == "POST" and path == "/v2/translate":
            self.count(payload)
            if self.fail:
                return 500, {"message": "Internal error"}
            texts = payload.get("text")
            texts = [texts] if isinstance(texts, str) else list(texts or [])
            target = str(payload.get("target_lang", "")).split("-")[0].lower()
            if target not in self.languages:
                return 400, {"message": "Value for 'target_lang' not supported."}
            is_html = payload.get("tag_handling") == "html"
            items = []
            for text in texts:
                done = dictionary_translate(text if is_html else html.escape(text, quote=False), target)
                items.append(
                    {"detected_source_language": "NL", "text": done if is_html else html.unescape(done)}
                )
            return 200, {"translations": items}
        return 404, {"message": "Not found"}
