"""GitHub Pages settings: pelicanconf.py plus the address the site is published at.

    SITEURL=https://user.github.io/repo make publish

SITEURL (required) comes from the environment, sub-path included; the deploy workflow takes it
from actions/configure-pages. Pages keep relative links (RELATIVE_URLS stays True), so the same
output also works offline; feeds and 404.html use the absolute address.

Pelican loads settings files by path, not as modules, so pelicanconf.py is run with runpy and
its UPPER_CASE names copied (as bench/benchconf.py does).
"""

import os
import runpy

globals().update({k: v for k, v in runpy.run_path(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")).items()
    if k.isupper()})

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("https://", "http://")) or " " in SITEURL:
    raise ValueError("publishconf.py needs SITEURL in the environment, an absolute address "
                     f"such as https://user.github.io/repo (got {SITEURL!r})")
RELATIVE_URLS = True

# Article pages list their revisions and link "Edit this page" to the repository (the deploy
# workflow sets both from GitHub's own variables and fetches the whole history).
TIMELINE_REPO_URL = os.environ.get("TIMELINE_REPO_URL", "").strip().rstrip("/")
TIMELINE_REPO_BRANCH = os.environ.get("TIMELINE_REPO_BRANCH", "").strip() or "main"
