"""Baseline: stock Pelican 4.12 on the synthetic content, with a stock markdown-it-py reader.

    .venv/bin/pelican CONTENT -s bench/baseline/pelicanconf.py -o OUTPUT

Default theme ("notmyidea"), default pagination (none), default feeds, default URLs. Only what
the content layout needs is set: where articles and pages are, the reader plugin, the time
zone (else Pelican warns and assumes UTC), file-name slugs (titles repeat; title slugs would
collide) and no folder categories (the day folders 01..31 would become categories).
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

SITENAME = "Timeline digests (baseline)"
SITEURL = ""
TIMEZONE = "Europe/Kyiv"
DEFAULT_LANG = "en"

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
USE_FOLDER_AS_CATEGORY = False
SLUGIFY_SOURCE = "basename"

PLUGIN_PATHS = [_HERE]
PLUGINS = ["mdit_reader"]
