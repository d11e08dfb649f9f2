import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase, override_settings

from core.checks import check_secret_key


def deploy_errors() -> list[str]:
    return [message.id for message in check_secret_key(None)]


class TestSecretKeyCheck(SimpleTestCase):
    def test_the_development_key_fails_the_deploy_check(self):
        with override_settings(SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY):
            self.assertEqual(deploy_errors(), ["schoolplein.E001"])

    def test_a_short_or_plain_key_fails_it(self):
        for key in ["kort-geheim", "a" * 80, "django-insecure-" + "x1y2z3" * 10]:
            with self.subTest(key=key), override_settings(SECRET_KEY=key):
                self.assertEqual(deploy_errors(), ["schoolplein.E001"])

    def test_a_real_key_passes(self):
        with override_settings(SECRET_KEY="Zt7q-" + "kP9xw2Lm4Rb8Nc5Vd1Hs6Gf3Jy0Ta" * 2):
            self.assertEqual(deploy_errors(), [])

    def test_manage_py_check_deploy_fails_without_a_secret_key(self):
        env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "schoolplein.settings", "DEBUG": "0"}
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("schoolplein.E001", result.stderr)
