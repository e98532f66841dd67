"""Our Pelican generators. The first one turns what the reader read into the Site model."""

from __future__ import annotations

from pelican.generators import Generator

from .state import build_state

SITE_KEY = "timeline"


class SiteModelGenerator(Generator):  # type: ignore[misc]
    """Runs after Pelican's articles and pages were read: checks them all, builds the Site."""

    def generate_context(self) -> None:
        site = build_state(self.settings).finish()
        self.context[SITE_KEY] = site


def all_generators() -> list[type[Generator]]:
    return [SiteModelGenerator]
