"""Configuration comes from the environment, with safe local defaults."""

import os
import subprocess
import sys

from django.conf import settings

BASE_ENV = {
    key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
}


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_mode_without_a_secret_key_is_a_clear_startup_error():
    process = run_python("import django; django.setup()", DEBUG="false")
    assert process.returncode != 0
    assert "SECRET_KEY is not set" in process.stderr


def test_the_default_database_is_a_sqlite_file():
    process = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.USE_TZ)"
    )
    assert process.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_database_url_switches_to_postgresql():
    process = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://glide@127.0.0.1:5432/glide",
    )
    assert process.stdout.strip() == "django.db.backends.postgresql"


def test_production_settings_pass_the_deploy_check():
    process = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **BASE_ENV,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-check-0987654321",
            "ALLOWED_HOSTS": "glide.example.org",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert process.returncode == 0, process.stderr + process.stdout


def test_the_wsgi_entry_leaves_what_it_loaded_out_of_garbage_collection():
    process = run_python(
        "import gc, sys; import clinic.wsgi; "
        "print(gc.get_freeze_count() > 0, 'assessments.views' in sys.modules)"
    )
    assert process.stdout.split() == ["True", "True"], process.stderr
