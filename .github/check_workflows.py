"""CTest cluster/workflows: the nightly workflows and .clusterfuzzlite/
parse, and hold what docs/cluster.md says they do. Exits 77 (a skip) when
PyYAML is missing: python3-yaml is no dependency of the build."""
import sys

SKIP = 77
try:
    import yaml
except ImportError:
    print("skipped: python3-yaml (PyYAML) not installed")
    sys.exit(SKIP)

root = sys.argv[1]
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


def load(path):
    with open(f"{root}/{path}", encoding="utf-8") as f:
        return yaml.safe_load(f)


# GitHub: YAML 1.1 reads the key "on" as True.
gh = load(".github/workflows/nightly.yml")
on = gh.get("on", gh.get(True)) or {}
check("schedule" in on and "workflow_dispatch" in on,
      "nightly.yml: runs on a schedule and by hand")
check(gh.get("permissions", {}).get("security-events") == "write",
      "nightly.yml: permissions security-events: write")
job = gh["jobs"]["fuzz"]
check(str(job.get("container", "")).startswith("debian:bookworm"),
      "nightly.yml: runs in debian:bookworm")
steps = job["steps"]


def step(uses_prefix):
    return [s for s in steps if str(s.get("uses", "")).startswith(uses_prefix)]


runs = "\n".join(str(s.get("run", "")) for s in steps)
check("fwfuzz run --budget" in runs, "nightly.yml: runs fwfuzz run --budget")
check("readlink -f reports/latest" in runs,
      "nightly.yml: uploads the folder reports/latest names")
for prefix in ("actions/upload-artifact", "github/codeql-action/upload-sarif",
               "actions/cache/save"):
    found = step(prefix)
    check(found, f"nightly.yml: a step uses {prefix}")
    for s in found:
        check("always()" in str(s.get("if", "")),
              f"nightly.yml: {prefix} runs if: always()")
restore = step("actions/cache/restore")
check(restore and "restore-keys" in restore[0].get("with", {}),
      "nightly.yml: restores the newest earlier corpus (restore-keys)")
for s in step("actions/cache"):
    check("corpora/*/merged" in str(s.get("with", {}).get("path", "")),
          "nightly.yml: the cache holds corpora/*/merged")
verdict = [s for s in steps if s.get("name") == "Verdict"]
check(verdict and "10)" in verdict[0]["run"] and "3|4|5)" in verdict[0]["run"],
      "nightly.yml: the verdict tells exit 10 from 3, 4, 5")
check(verdict and steps.index(verdict[0]) == len(steps) - 1,
      "nightly.yml: the verdict comes after the uploads")

# GitLab
gl = load(".gitlab-ci.yml")
job = gl["nightly-fuzz"]
check(job.get("image") == "debian:bookworm", ".gitlab-ci.yml: debian:bookworm")
check(any("schedule" in str(r.get("if", "")) for r in job.get("rules", [])),
      ".gitlab-ci.yml: runs in scheduled pipelines")
script = "\n".join(job["script"])
check("fwfuzz run --budget" in script, ".gitlab-ci.yml: runs fwfuzz run --budget")
check("10)" in script and "3|4|5)" in script,
      ".gitlab-ci.yml: tells exit 10 from 3, 4, 5")
art = job.get("artifacts", {})
check(art.get("when") == "always", ".gitlab-ci.yml: artifacts when: always")
junit = art.get("reports", {}).get("junit", "")
check(str(junit).endswith("junit.xml") and
      any(str(junit).startswith(p) for p in art.get("paths", [])),
      ".gitlab-ci.yml: reports: junit inside the artifact's paths")
cache = job.get("cache", {})
check("corpora/*/merged/" in cache.get("paths", []) and cache.get("when") == "always",
      ".gitlab-ci.yml: caches corpora/*/merged/ when: always")

# ClusterFuzzLite
py = load(".clusterfuzzlite/project.yaml")
check(py.get("language") == "c", "project.yaml: language: c")
check(py.get("fuzzing_engines") == ["libfuzzer"],
      "project.yaml: libFuzzer only (the emulated targets' extra counters)")

for e in errors:
    print("FAILED:", e)
print(f"workflows: {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
