"""Development settings. `make html` builds with these; publishconf.py adds GitHub Pages."""

import sys
from pathlib import Path

# The project's folder, so that `generator` (our plugin package) is found by PELICAN_CLASS
# and PLUGINS below whichever folder the stock `pelican` command is run from.
sys.path.insert(0, str(Path(__file__).resolve().parent))

SITENAME = "Timeline digests"
SITEURL = ""
RELATIVE_URLS = True  # every link works from file:// and from a sub-path
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"

# Our plugin package (generator/). PELICAN_CLASS runs our pipeline (generator/pipeline/),
# so the stock `pelican` command builds exactly what `make html` builds. Add Pelican plugins
# to PLUGINS as usual; one that fails to load fails the build.
PLUGIN_PATHS = ["."]
PLUGINS = ["generator"]
PELICAN_CLASS = "generator.TimelinePelican"

# Time: one site zone; days of digests are days there.
TIMEZONE = "Europe/Kyiv"
TIMELINE_TIMEZONE = "Europe/Kyiv"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M"

# What Pelican reads: articles and pages, Markdown only (raw-HTML readers off).
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
READERS = {"html": None, "htm": None, "rst": None}
USE_FOLDER_AS_CATEGORY = False
ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = None  # no translations: one article per slug
FILENAME_METADATA = r"(?!)"  # never take metadata from file names
PATH_METADATA = ""

# Where Pelican's own pages go: files, never folders; URL == SAVE_AS everywhere.
ARTICLE_URL = ARTICLE_SAVE_AS = "articles/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "pages/{slug}.html"
ARTICLE_LANG_URL = ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_URL = PAGE_LANG_SAVE_AS = ""
DRAFT_URL = DRAFT_SAVE_AS = ""
DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_URL = DRAFT_PAGE_LANG_SAVE_AS = ""
CATEGORY_URL = CATEGORY_SAVE_AS = ""
TAG_URL = TAG_SAVE_AS = ""
AUTHOR_URL = AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES: list[str] = []  # our generators write the home page and every index

# Feeds are ours (deterministic, per region/speaker/day); Pelican's are off.
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TAG_FEED_ATOM = FEED_ATOM = FEED_RSS = None

# Jinja: autoescape everywhere (stock Pelican has it off); rendered HTML is marked safe by us.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     "extensions": []}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
WITH_FUTURE_DATES = True
TEMPLATE_EXTENSIONS = [".html", ".xml"]
