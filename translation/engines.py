"""Translation engines behind one small interface, and the one place that builds them from the settings.

An engine translates a list of HTML fragments in one request (a post's title and body are one call) and
leaves alone whatever is marked `translate="no"`. Endpoints and keys come from the settings (environment
variables), never from the database.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from core.hosts import host_of


class EngineError(Exception):
    """The engine did not answer in time, answered an error, or answered nonsense."""


@dataclass(frozen=True)
class Result:
    texts: list[str]
    detected_language: str = ""


class TranslationEngine(Protocol):
    name: str

    def translate(self, texts: list[str], *, target: str) -> Result: ...

    def languages(self) -> list[str]: ...


def _request(url: str, *, data: dict | None = None, headers: dict | None = None, timeout: float):
    if not url.startswith(("http://", "https://")):  # never file: or another scheme from a setting
        raise EngineError("the engine's address must be http(s)")
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if body else "GET")  # noqa: S310
    request.add_header("Accept", "application/json")
    if body:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked above)
            return json.loads(response.read(2_000_000))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        # URLError covers HTTP errors (HTTPError is one), refused connections and timeouts while connecting.
        raise EngineError(f"{type(exc).__name__}: {exc}") from exc


class LibreTranslate:
    """A LibreTranslate server: POST /translate {q, source, target, format, api_key}, GET /languages."""

    name = "libretranslate"

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 5.0):
        self.url, self.api_key, self.timeout = url.rstrip("/"), api_key, timeout

    def translate(self, texts: list[str], *, target: str) -> Result:
        data = {"q": texts, "source": "auto", "target": target, "format": "html"}
        if self.api_key:
            data["api_key"] = self.api_key
        answer = _request(f"{self.url}/translate", data=data, timeout=self.timeout)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise EngineError("unexpected answer from LibreTranslate")
        detected = answer.get("detectedLanguage")
        if isinstance(detected, list):
            detected = detected[0] if detected else None
        language = detected.get("language", "") if isinstance(detected, dict) else ""
        return Result(texts=[str(text) for text in translated], detected_language=language)

    def languages(self) -> list[str]:
        answer = _request(f"{self.url}/languages", timeout=self.timeout)
        if not isinstance(answer, list):
            raise EngineError("unexpected answer from LibreTranslate")
        return sorted({str(item.get("code", "")).lower() for item in answer if isinstance(item, dict)} - {""})


# DeepL names a few target languages by variant; the rest are the upper-case ISO code.
DEEPL_TARGETS = {"en": "EN-GB", "pt": "PT-PT", "zh": "ZH-HANS"}


class DeepL:
    """DeepL's API: POST /v2/translate with `Authorization: DeepL-Auth-Key`, tag_handling=html."""

    name = "deepl"

    def __init__(self, url: str, *, api_key: str, timeout: float = 5.0):
        self.url, self.api_key, self.timeout = url.rstrip("/"), api_key, timeout

    def _headers(self) -> dict:
        return {"Authorization": f"DeepL-Auth-Key {self.api_key}"}

    def translate(self, texts: list[str], *, target: str) -> Result:
        data = {
            "text": texts,
            "target_lang": DEEPL_TARGETS.get(target, target.upper()),
            "tag_handling": "html",
        }
        answer = _request(
            f"{self.url}/v2/translate", data=data, headers=self._headers(), timeout=self.timeout
        )
        items = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(items, list) or len(items) != len(texts):
            raise EngineError("unexpected answer from DeepL")
        detected = str(items[0].get("detected_source_language", "")).lower() if items else ""
        return Result(texts=[str(item.get("text", "")) for item in items], detected_language=detected)

    def languages(self) -> list[str]:
        answer = _request(
            f"{self.url}/v2/languages?type=target", headers=self._headers(), timeout=self.timeout
        )
        if not isinstance(answer, list):
            raise EngineError("unexpected answer from DeepL")
        return sorted({str(item.get("language", "")).split("-")[0].lower() for item in answer} - {""})


def configured_engines() -> list[str]:
    """The engines this installation has endpoints (and keys) for; a school can choose only these."""
    found = []
    if settings.TRANSLATION_LIBRETRANSLATE_URL:
        found.append("libretranslate")
    if settings.TRANSLATION_DEEPL_API_KEY:
        found.append("deepl")
    return found


def engine_named(name: str) -> TranslationEngine | None:
    """The engine by its name, built from the settings; None when it is off or not configured."""
    timeout = settings.TRANSLATION_TIMEOUT
    if name == "libretranslate" and settings.TRANSLATION_LIBRETRANSLATE_URL:
        return LibreTranslate(
            settings.TRANSLATION_LIBRETRANSLATE_URL,
            api_key=settings.TRANSLATION_LIBRETRANSLATE_API_KEY,
            timeout=timeout,
        )
    if name == "deepl" and settings.TRANSLATION_DEEPL_API_KEY:
        return DeepL(
            settings.TRANSLATION_DEEPL_URL, api_key=settings.TRANSLATION_DEEPL_API_KEY, timeout=timeout
        )
    return None


def processor_name(name: str) -> str:
    """The engine as a privacy page names it, a sub-processor with where it runs; "" for none."""
    if name == "libretranslate" and settings.TRANSLATION_LIBRETRANSLATE_URL:
        return _("LibreTranslate (self-hosted, %(host)s)") % {
            "host": host_of(settings.TRANSLATION_LIBRETRANSLATE_URL)
        }
    if name == "deepl" and settings.TRANSLATION_DEEPL_API_KEY:
        return _("DeepL SE (Germany)")
    return ""
