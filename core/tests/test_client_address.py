from django.test import RequestFactory, SimpleTestCase, override_settings

from core.client_address import client_ip


def address(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


class TestClientIp(SimpleTestCase):
    def test_without_trusted_proxies_it_is_the_sender(self):
        self.assertEqual(address("192.0.2.1", "203.0.113.9"), "192.0.2.1")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"])
    def test_it_takes_the_right_most_address_that_is_not_a_trusted_proxy(self):
        self.assertEqual(address("127.0.0.1", "203.0.113.9"), "203.0.113.9")
        self.assertEqual(address("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.2.3.4"), "203.0.113.9")
        self.assertEqual(address("2001:db8::1", " 2a00:1450::5 "), "2a00:1450::5")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_believes_nothing_from_an_untrusted_sender_or_beyond_garbage(self):
        self.assertEqual(address("192.0.2.1", "203.0.113.9"), "192.0.2.1")
        self.assertEqual(address("127.0.0.1"), "127.0.0.1")
        self.assertEqual(address("127.0.0.1", "203.0.113.9, not-an-address"), "127.0.0.1")
        self.assertEqual(address("127.0.0.1", "127.0.0.1"), "127.0.0.1")
