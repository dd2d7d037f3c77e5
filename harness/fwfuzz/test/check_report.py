#!/usr/bin/env python3
"""Checks the report files `fwfuzz report` writes (CTest label "report").

  check_report.py hostile FWFUZZ FIXTURE WORK   junit.xml, results.sarif,
                                                index.html of the hostile
                                                fixture, and the final lines
  check_report.py clean FWFUZZ FIXTURE WORK     an empty campaign
  check_report.py errors FWFUZZ FIXTURE WORK    exit codes 2, 3 and 5
  check_report.py chromium FWFUZZ FIXTURE WORK  the page rendered by
                                                headless Chromium (exit 77,
                                                a CTest skip, without it)

FIXTURE is copied to WORK first. Exit 0 on success, 1 with the reasons.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP = 77
# the hostile name as XML keeps it: controls dropped
EVIL = "<script>alert(1)</script>\"quoted\" 'single' & amp[31m"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def prepare(fixture, work):
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(fixture, work)


def run(fwfuzz, *args):
    p = subprocess.run([fwfuzz, *args], capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def junit_cases(path):
    root = ET.parse(path).getroot()
    check(root.tag == "testsuites", "junit: root is <testsuites>")
    cases = {}
    for suite in root.findall("testsuite"):
        for case in suite.findall("testcase"):
            check(case.get("classname") == "fwfuzz." + suite.get("name"),
                  "junit: classname fwfuzz.<suite name>")
            float(case.get("time"))
            check(case.find("system-out") is not None,
                  "junit: every test case has <system-out>")
            cases[(suite.get("name"), case.get("name"))] = case
    return root, cases


def check_junit_hostile(path):
    root, cases = junit_cases(path)
    suites = [s.get("name") for s in root.findall("testsuite")]
    check(suites == ["mqtt_packet", "sensor_frame", EVIL, "coap_message"],
          "junit: one suite per target in order, got %r" % suites)
    check(sorted(cases) == sorted([
        ("mqtt_packet", "native"), ("mqtt_packet", "emu"),
        ("sensor_frame", "native"), ("sensor_frame", "emu"),
        (EVIL, "native"), ("coap_message", "native")]),
        "junit: one test case per target and mode, got %r" % sorted(cases))
    verdicts = {k: [c.tag for c in v if c.tag in
                    ("failure", "error", "skipped")]
                for k, v in cases.items()}
    check(verdicts == {
        ("mqtt_packet", "native"): [], ("mqtt_packet", "emu"): ["error"],
        ("sensor_frame", "native"): ["failure"],
        ("sensor_frame", "emu"): ["failure"], (EVIL, "native"): ["failure"],
        ("coap_message", "native"): ["skipped"]},
        "junit: verdicts, got %r" % verdicts)
    check((root.get("tests"), root.get("failures"), root.get("errors"),
           root.get("skipped")) == ("6", "3", "1", "1"),
          "junit: totals of <testsuites>")
    sn = cases[("sensor_frame", "native")]
    check(sn.get("time") == "20.250", "junit: time is the fuzz seconds")
    msg = sn.find("failure").get("message")
    check("stack-buffer-overflow WRITE in sensor_rename at "
          "docs/examples/planted-firmware/src/sensor.c:73" in msg,
          "junit: failure names class, function, file:line: %r" % msg)
    check("reproduce: build/bin/fwfuzz repro sensor_frame corpora/"
          "sensor_frame/regress/2b2ea4644d4f.bin --mode emu" in msg,
          "junit: failure carries the reproducer: %r" % msg)
    check("execs: 40000" in sn.find("system-out").text,
          "junit: system-out has the execs")
    se = cases[("sensor_frame", "emu")].find("failure")
    check(se.get("message").startswith("2 new crash groups"),
          "junit: two new groups in emu")
    check("3c3c3c3c3c3c" in se.text, "junit: the reopened group is listed")
    ev = cases[(EVIL, "native")].find("failure").get("message")
    check("<script>alert(3)</script>" in ev,
          "junit: hostile symbol kept as text")
    check(cases[("mqtt_packet", "emu")].find("error").get("message") ==
          "emulated build exited 4: image <missing>", "junit: error message")


def check_sarif_hostile(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    check(doc.get("version") == "2.1.0", "sarif: version 2.1.0")
    check("sarif" in doc.get("$schema", ""), "sarif: $schema")
    run_ = doc["runs"][0]
    drv = run_["tool"]["driver"]
    check(drv["name"] == "fwfuzz", "sarif: driver name")
    rules = {r["id"]: r for r in drv["rules"]}
    check(len(rules) == len(drv["rules"]), "sarif: rule ids unique")
    for r in drv["rules"]:
        check(re.fullmatch(r"FWFUZZ-[A-Za-z0-9._-]+", r["id"]) is not None,
              "sarif: rule id %r" % r["id"])
        for k in ("name", "shortDescription", "fullDescription", "help"):
            check(k in r, "sarif: rule %s has %s" % (r["id"], k))
        check("markdown" in r["help"] and "text" in r["help"],
              "sarif: help text and markdown")
        sev = r["properties"]["security-severity"]
        check(isinstance(sev, str) and 0 <= float(sev) <= 10,
              "sarif: security-severity is a string score")
        tags = r["properties"]["tags"]
        check("security" in tags, "sarif: security tag")
        check(any(t.startswith("external/cwe/cwe-") for t in tags),
              "sarif: CWE tag on %s" % r["id"])
    sbo = rules.get("FWFUZZ-stack-buffer-overflow")
    if check(sbo is not None, "sarif: a rule per class"):
        check(sbo["properties"]["security-severity"] == "8.0",
              "sarif: a write scores 8.0")
        check({"external/cwe/cwe-121", "external/cwe/cwe-125"} <=
              set(sbo["properties"]["tags"]), "sarif: both CWEs")
    check(rules.get("FWFUZZ-timeout", {}).get("properties", {}).get(
        "security-severity") == "3.0", "sarif: a timeout scores 3.0")
    check("FWFUZZ-null-deref" not in rules, "sarif: no rule for fixed only")
    results = run_["results"]
    ids = [r["partialFingerprints"]["fwfuzzGroup/v1"] for r in results]
    check(sorted(ids) == sorted(["aaaaaaaaaaa1", "2b2ea4644d4f",
                                 "3c3c3c3c3c3c", "e0e0e0e0e0e0",
                                 "d1d1d1d1d1d1"]),
          "sarif: one result per open group, fixed absent: %r" % ids)
    where = {}
    for r in results:
        check(r["ruleId"] in rules, "sarif: result's rule exists")
        check(r["level"] in ("error", "warning", "note"), "sarif: level")
        check(r["message"]["text"] != "", "sarif: message")
        loc = r["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        check(not uri.startswith("/") and ":" not in uri and ".." not in uri,
              "sarif: relative uri %r" % uri)
        check(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%",
              "sarif: uriBaseId")
        where[r["partialFingerprints"]["fwfuzzGroup/v1"]] = (
            uri, loc["region"]["startLine"], r["level"])
    check(where.get("2b2ea4644d4f") ==
          ("docs/examples/planted-firmware/src/sensor.c", 73, "error"),
          "sarif: top frame location, %r" % (where.get("2b2ea4644d4f"),))
    check(where.get("3c3c3c3c3c3c") ==
          ("docs/examples/planted-firmware/fuzz/fuzz_sensor_frame.c", 1,
           "warning"), "sarif: no location: the fuzz target's source")
    check(where.get("e0e0e0e0e0e0", ("",))[0:2] ==
          ("targets/evil/src/evil.c", 5), "sarif: absolute made relative")
    check(where.get("d1d1d1d1d1d1", ("",))[0:3] ==
          ("targets/mqtt/fuzz/fuzz_mqtt_packet.c", 1, "note"),
          "sarif: '..' refused")
    check(run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] ==
          "file:///src/fw%20fuzz/", "sarif: %SRCROOT%")
    check(run_["automationDetails"]["id"] ==
          "fwfuzz/nightly/2026-12-04T03:10:00Z", "sarif: automationDetails")
    text = [r for r in results if r["partialFingerprints"][
        "fwfuzzGroup/v1"] == "e0e0e0e0e0e0"][0]["message"]["text"]
    check("\ufffd" in text and "alert(4)" in text,
          "sarif: bad UTF-8 replaced, text kept: %r" % text)


def check_html_static(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # raises on bytes that are not UTF-8
    check("<script" not in text.lower(), "html: no <script anywhere")
    check("&lt;script&gt;alert(1)&lt;/script&gt;&quot;quoted&quot; "
          "&#39;single&#39; &amp; amp[31m" in text,
          "html: hostile target escaped")
    check("&lt;img src=x onerror=alert(2)&gt;" in text,
          "html: hostile class escaped")
    check(not re.search(r"href=\"\s*javascript", text, re.I),
          "html: no javascript: link")
    check(not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw),
          "html: no control characters")
    check("Content-Security-Policy" in text, "html: CSP")
    check('href="coverage/html/native/sensor_frame/index.html"' in text,
          "html: link to genhtml page")
    for s in ('id="fuzzed"', 'id="groups"', 'id="coverage"', 'id="errors"',
              'href="junit.xml"', 'href="results.sarif"',
              'href="summary.json"'):
        check(s in text, "html: has %s" % s)


def hostile(fwfuzz, fixture, work):
    prepare(fixture, work)
    rc, out, err = run(fwfuzz, "report", work)
    check(rc == 0, "fwfuzz report exit %d: %s" % (rc, err))
    check("\x1b" not in out and "\x07" not in out,
          "final lines: no control characters")
    lines = out.splitlines()
    check(len(lines) == 4, "final lines: 4, got %r" % lines)
    check(out.startswith("fuzzed: 4 targets (modes native, emu; engines "
                         "libfuzzer, afl), 223233 executions in 301 s\n"),
          "final lines: what was fuzzed: %r" % out)
    check("found: 2 new / 2 known / 1 fixed crash groups; 1 error\n" in out,
          "final lines: what was found")
    check("report: %s/index.html\n" % work in out, "final lines: where")
    check(out.endswith(
        "to look at the first new crash: build/bin/fwfuzz repro "
        "sensor_frame corpora/sensor_frame/regress/2b2ea4644d4f.bin "
        "--mode emu\n"), "final lines: the first new crash")
    check_junit_hostile(os.path.join(work, "junit.xml"))
    check_sarif_hostile(os.path.join(work, "results.sarif"))
    check_html_static(os.path.join(work, "index.html"))


def clean(fwfuzz, fixture, work):
    prepare(fixture, work)
    rc, out, err = run(fwfuzz, "report", work)
    check(rc == 0, "fwfuzz report exit %d: %s" % (rc, err))
    check("found: 0 new / 0 known / 0 fixed" in out, "clean: found")
    check("first new crash" not in out, "clean: no crash to look at")
    root, cases = junit_cases(os.path.join(work, "junit.xml"))
    check(list(cases) == [("coap_message", "native")], "clean: one case")
    check(len(list(cases[("coap_message", "native")])) == 1,
          "clean: only system-out")
    doc = json.load(open(os.path.join(work, "results.sarif")))
    check(doc["runs"][0]["results"] == [] and
          doc["runs"][0]["tool"]["driver"]["rules"] == [],
          "clean: no results, no rules")
    text = open(os.path.join(work, "index.html")).read()
    check("No crash groups." in text, "clean: no crash groups")
    check("No coverage was measured" in text, "clean: no coverage")


def errors(fwfuzz, fixture, work):
    prepare(fixture, work)
    os.makedirs(work + "/empty")
    check(run(fwfuzz, "report", work + "/empty")[0] == 3,
          "missing summary: exit 3")
    open(work + "/empty/summary.json", "w").write("{\"runs\": [")
    check(run(fwfuzz, "report", work + "/empty")[0] == 3,
          "not JSON: exit 3")
    open(work + "/empty/summary.json", "w").write("{\"format\": 1}")
    rc, _, err = run(fwfuzz, "report", work + "/empty")
    check(rc == 3 and "format" in err, "format 1: exit 3 (%s)" % err)
    # a folder where a file must go: rename() fails, whoever we run as
    os.makedirs(work + "/junit.xml")
    rc, _, err = run(fwfuzz, "report", work)
    check(rc == 5 and "junit.xml" in err, "unwritable: exit 5 (%s)" % err)
    check(os.path.exists(work + "/index.html"),
          "unwritable: the other files are still written")
    check(run(fwfuzz, "report")[0] == 2, "no DIR: exit 2")
    check(run(fwfuzz, "report", work, work)[0] == 2, "two DIRs: exit 2")


def png_size(path):
    data = open(path, "rb").read(32)
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or \
            data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def chromium(fwfuzz, fixture, work):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        print("chromium is not installed (scripts/install-deps.sh): skipped")
        sys.exit(SKIP)
    prepare(fixture, work)
    rc, _, err = run(fwfuzz, "report", work)
    check(rc == 0, "fwfuzz report exit %d: %s" % (rc, err))
    page = "file://" + os.path.abspath(os.path.join(work, "index.html"))
    shot = os.path.join(work, "index.png")
    base = [exe, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
            "--user-data-dir=" + os.path.join(work, "chromium-profile"),
            "--window-size=1280,2000"]
    dom = subprocess.run(base + ["--dump-dom", page], capture_output=True,
                         timeout=60).stdout.decode("utf-8", "replace")
    subprocess.run(base + ["--screenshot=" + shot, page],
                   capture_output=True, timeout=60)
    check(dom.count("<script") == 0,
          "chromium: no script element in the DOM")
    check("&lt;script&gt;alert(1)&lt;/script&gt;\"quoted\" 'single' &amp; "
          "amp[31m" in dom, "chromium: the hostile name is text")
    check("&lt;script&gt;alert(3)&lt;/script&gt;" in dom,
          "chromium: the hostile symbol is text")
    check("<img" not in dom, "chromium: no img element from a class name")
    for s in ("What was fuzzed", "Crash groups", "Coverage", "Errors",
              "2b2ea4644d4f", "40000", "1975", "80.0%",
              "never reached in the firmware build",
              "reached only under emulation", "sensor_rename", "<details"):
        check(s in dom, "chromium: page shows %r" % s)
    size = png_size(shot) if os.path.exists(shot) else None
    check(size is not None and size[0] == 1280 and
          os.path.getsize(shot) > 10000,
          "chromium: screenshot is a 1280-wide PNG (%r)" % (size,))


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    what, fwfuzz, fixture, work = sys.argv[1:]
    {"hostile": hostile, "clean": clean, "errors": errors,
     "chromium": chromium}[what](fwfuzz, fixture, work)
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: " + what)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
