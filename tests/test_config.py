"""The Streamlit settings that keep the intranet deployment safe, and no secrets in the repository."""
import re
import subprocess
import tomllib
from pathlib import Path

from smartcity.settings import setting

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_telemetry_and_no_error_details_for_users():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    # In Streamlit 1.67 showErrorDetails is a level; "none" shows users a generic message only.
    assert CONFIG["client"]["showErrorDetails"] in ("none", False)


def test_xsrf_protection_on_and_upload_limit_matches_the_package():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["maxUploadSize"] == setting("max_upload_mb") == 50


def test_streamlit_reads_our_values():
    from streamlit import config

    config._config_options = None            # re-read .streamlit/config.toml from the project folder
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("browser.gatherUsageStats") is False
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("server.maxUploadSize") == 50
    finally:
        os.chdir(cwd)


def test_no_private_keys_or_tokens_are_committed():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    pattern = re.compile(r"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}")
    offenders = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".xlsx", ".xls", ".ods", ".png", ".duckdb", ".pdf") or not path.is_file():
            continue
        if pattern.search(path.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(name)
    assert offenders == []
