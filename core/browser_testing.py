"""Helpers for browser tests: a phone-sized page, and signing in through the real login pages."""

import re
from pathlib import Path

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.testing import PASSWORD

PHONE = {"width": 360, "height": 740}

# The home page itself: a bare r"/$" also matches the login page the browser is still on, so a wait for it
# returned at once and the next step raced the redirect.
HOME = re.compile(r"^https?://[^/]+/(\?.*)?$")


def open_phone(browser, base_url: str):
    """A fresh browser context the size of a small phone, in Dutch."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, user, password: str = PASSWORD) -> None:
    """Through the real login page; staff also enter the current code from their authenticator."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main form button[type=submit]").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        page.locator("main input[name=code]").fill(f"{totp(device.bin_key):06d}")
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(HOME)


def my_groups(page) -> set[str]:
    """The group names on the "More" page."""
    page.goto("/more/")
    page.get_by_test_id("group").first.wait_for()
    return {text.split("\n")[0] for text in page.get_by_test_id("group").all_inner_texts()}


# Reports every Content-Security-Policy violation of a page (the event fires on the document) to the test.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: location.pathname + location.search, directive: event.violatedDirective,
    blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  });
});
"""


class CspRecorder:
    """What the browser refused under the Content-Security-Policy in one context, and the policy each
    of the app's own documents and htmx/fetch answers arrived with."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.violations: list[dict] = []
        self.refusals: list[str] = []
        self.responses = []
        context.expose_binding("__cspViolation", lambda source, violation: self.violations.append(violation))
        context.add_init_script(_CSP_LISTENER)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message) -> None:
        text = message.text
        if text.startswith("Refused to") or "Content Security Policy" in text:
            self.refusals.append(text)

    def _response(self, response) -> None:
        kind = response.request.resource_type
        if response.request.service_worker is not None:
            return  # the service worker fetching the shell's static files (core/pwa.py), not a page
        if response.url.startswith(self.base_url) and kind in ("document", "xhr", "fetch"):
            self.responses.append(response)

    def policies(self) -> dict[str, str | None]:
        """Each answer's path with the policy it carried (None: none)."""
        return {
            response.url.removeprefix(self.base_url): response.all_headers().get("content-security-policy")
            for response in self.responses
        }


def go_to(page, name: str) -> None:
    """Follow a menu link by its name: through the "More" tab on a phone, the top menu on a wide screen."""
    more = page.get_by_test_id("tabbar").get_by_role("link", name="Meer")
    if more.is_visible():
        more.click()
        page.get_by_test_id("more-menu").get_by_role("link", name=name).first.click()
    else:
        page.locator("nav.mainnav").get_by_role("link", name=name).first.click()


AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices. `target-size` (2.5.8, targets of
# 24 × 24 CSS px or spaced as far apart) is off by default in axe-core 4.10, so it is switched on by name.
_AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
_AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """The page's serious and critical WCAG violations by axe-core (installed by `npm ci`, see README).

    The script goes in through the DevTools protocol, which the page's Content-Security-Policy does not
    govern, so the policy stays as strict as in production."""
    if page.evaluate("() => typeof window.axe") == "undefined":
        page.evaluate(AXE_SCRIPT.read_text())
    return page.evaluate(_AXE_RUN, _AXE_OPTIONS)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], (page.url, violations)
