"""The Pelican generator of our page families.

It is a Pelican `Generator`, so its Jinja environment is Pelican's (the theme, THEME_TEMPLATES_
OVERRIDES, JINJA_* settings, what plugins add on `generator_init`); it asks each page family
for its outputs and hands them to the engine, which renders them later, on every core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from ..build.engine import Engine
from ..model.history import History
from ..model.site import Site
from ..model.urls import shorten_links
from ..pages import PAGES, WITH_TASKS, Inputs
from ..render.templating import SITE_KEY
from ..settings import TimelineSettings


@dataclass(frozen=True)
class PagesJob:
    """What this build's page families are made from."""

    site: Site
    settings: TimelineSettings
    engine: Engine
    file_digests: Mapping[str, str]
    articles: Sequence[Any]  # Pelican objects of the published articles
    pages: Sequence[Any]
    history: History


class TimelinePagesGenerator(Generator):  # type: ignore[misc]
    job: PagesJob  # set on the class made for one build (see `for_build`)

    @classmethod
    def for_build(cls, job: PagesJob) -> type[TimelinePagesGenerator]:
        """This class bound to one build (Pelican makes its generators from classes)."""
        return type(cls.__name__, (cls,), {"job": job})

    def generate_context(self) -> None:
        self.context[SITE_KEY] = self.job.site
        self.context["offline_download"] = self.job.settings.download_zip

    def generate_output(self, writer: Any) -> None:
        """Declare every output; the tasks start now, beside what follows."""
        job, engine = self.job, self.job.engine
        inputs = Inputs(
            job.site,
            job.settings,
            self.settings,
            Path(self.theme),
            Path(self.path).resolve().parent,
            Path(self.output_path),
            engine,
            self.render,
            job.file_digests,
            history=job.history,
            articles=job.articles,
            pages=job.pages,
        )
        for family in WITH_TASKS:
            engine.add(family(inputs).outputs())
        engine.start_tasks()
        for family in PAGES:
            engine.add(family(inputs).outputs())

    def render(self, name: str, template: str, values: Mapping[str, Any]) -> str:
        """A page rendered as the writer would (relative SITEURL), but not written."""
        local = dict(self.context)
        relative = self.settings["RELATIVE_URLS"]
        if relative:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        local["output_file"] = name
        local.update(values)
        html = str(self.get_template(template).render(local))
        return shorten_links(html, name) if relative else html
