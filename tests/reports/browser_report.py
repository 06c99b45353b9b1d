#!/usr/bin/env python3
"""The report in a real browser: builds a report from every kind of input (the shipped tables, `uibnas
rank` on them, the validation fixture, a search folder and a rediscovery folder made here), checks that
the page is well-formed XML, that every figure draws as many points as its CSV has rows, and that
headless Chromium renders it (DOM dump and screenshot) with the network unreachable and no load
attempted. Skips (the suite's UIBNAS-SKIPPED: marker) without Chromium, except under CI=true.

Usage: browser_report.py SOURCE_DIR UIBNAS_BINARY
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
SHAPES = {SVG + "circle", SVG + "rect", SVG + "path", SVG + "line"}
EXPECTED_FIGURES = [
    "tradeoff-xeon-vm-2vcpu-t1", "tradeoff-xeon-vm-2vcpu-t2", "ridge-point-sweep",
    "latency-breakdown-xeon-vm-2vcpu-t1", "latency-breakdown-xeon-vm-2vcpu-t2",
    "validation-scatter-xeon-vm-2vcpu-t1", "search-cloud-search", "search-hypervolume-search",
    "search-cloud-rediscover", "search-hypervolume-rediscover",
]
EXPECTED_TABLES = ["validation-metrics-xeon-vm-2vcpu-t1", "rediscovery-rediscover", "hardware-xeon-vm-2vcpu-t1",
                   "commands"]


def fail(message):
    print("FAILED: " + message)
    sys.exit(1)


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)
    if r.returncode != 0:
        fail(" ".join(args) + f" exited {r.returncode}: {r.stderr.strip()[-2000:]}")
    return r


def chromium_binary():
    found = os.environ.get("UIBNAS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    why = "chromium not found (apt-get install chromium, or make deps)"
    if os.environ.get("CI") == "true":
        fail(why + "; under CI=true every test must run")
    print("UIBNAS-SKIPPED: " + why)
    sys.exit(0)


def make_inputs(source, uibnas, work):
    table = os.path.join(source, "latency/tables/xeon-vm-2vcpu-t1.json")
    space = os.path.join(source, "searchspace/spaces/conv-s.json")
    search = os.path.join(work, "search")
    run([uibnas, "search", "--space", space, "--table", table, "--allow-missing", "--objectives", "latency,macs:max",
         "--strategy", "nsga2", "--budget", "300", "--population", "30", "--no-progress", "--out", search])
    rediscover = os.path.join(work, "rediscover")
    run([uibnas, "search", "--rediscover", "conv_small", "--space", space, "--table", table, "--budget", "100",
         "--population", "20", "--no-progress", "--out", rediscover])
    table2 = os.path.join(source, "latency/tables/xeon-vm-2vcpu-t2.json")
    rank = os.path.join(work, "rank.json")
    run([uibnas, "rank", "--table", table, "--table", table2, "--rp-sweep", "0:500", "--rp-step", "5", "--json", rank])
    return [rank, table, table2,
            os.path.join(source, "tests/data/reports/validation-xeon-vm-2vcpu-t1"), search, rediscover]


def csv_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        fail(path + ": empty CSV")
    return rows[1:]


def check_page_xml(html, files):
    """Strict XML parse; every expected figure with its CSV, point count and drawn shapes."""
    try:
        root = ET.parse(html).getroot()
    except ET.ParseError as e:
        fail(f"{html} is not well-formed XML: {e}")
    figures = {f.get("id")[len("figure-"):]: f for f in root.iter(XHTML + "figure")}
    for name in EXPECTED_FIGURES:
        if name not in figures:
            fail(f"figure {name} missing (have {sorted(figures)})")
    for name, fig in figures.items():
        svg = fig.find(SVG + "svg")
        if svg is None:
            fail(f"figure {name} has no inline SVG")
        shapes = sum(1 for e in svg.iter() if e.tag in SHAPES)
        rows = csv_rows(os.path.join(files, fig.get("data-csv")))
        points = int(svg.get("data-points"))
        if points != len(rows) or points == 0:
            fail(f"figure {name}: data-points {points}, CSV rows {len(rows)}")
        if shapes == 0:
            fail(f"figure {name}: empty SVG")
    for folder, evaluated in (("search", 300), ("rediscover", 100)):
        cloud = figures["search-cloud-" + folder].find(SVG + "svg")
        dots = sum(e.get("d", "").count("M") for e in cloud.iter(SVG + "path") if "cloud" in e.get("class", ""))
        if dots != evaluated:
            fail(f"search cloud of {folder} draws {dots} dots for {evaluated} evaluated candidates")
    cloud = figures["search-cloud-rediscover"].find(SVG + "svg")
    if not any("variant" in (e.get("class") or "") for e in cloud.iter(SVG + "circle")):
        fail("the published variant of rediscover.json is not marked on the rediscovery's cloud")
    for name in EXPECTED_TABLES:
        if not os.path.exists(os.path.join(files, name + ".csv")):
            fail(f"table {name} has no CSV")
    for e in root.iter():
        for attr in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            v = e.get(attr)
            if v and re.match(r"^([a-z]+:|//)", v) and not v.startswith("data:"):
                fail(f"external reference {attr}={v}")
    if "url(" in open(html).read():
        fail("the page's CSS refers to a url()")


def chromium(browser, html, profile, *extra):
    # A dead proxy and a resolver that finds nothing: any network request would fail and be logged.
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr",
            "--v=0", *extra, "file://" + os.path.abspath(html)]
    return run(args, timeout=90)


def check_rendering(browser, html, work):
    dom = chromium(browser, html, os.path.join(work, "profile"), "--dump-dom")
    for line in dom.stderr.splitlines():
        if "net::ERR" in line or "Refused to" in line or "Content Security Policy" in line or "violates" in line:
            fail("the page tried to load something: " + line)
    text = dom.stdout
    if 'data-loaded-resources="0"' not in text:
        fail("the page's script did not run or counted loaded resources")
    if 'data-sortable="ready"' not in text:
        fail("the table sorting script did not run")
    for name in EXPECTED_FIGURES:
        m = re.search(r'<svg[^>]*id="svg-' + re.escape(name) + r'"[^>]*>(.*?)</svg>', text, re.S)
        if not m or not re.search(r"<(circle|rect|path)\b", m.group(1)):
            fail(f"rendered DOM lacks figure {name} or its SVG is empty")
    shot = os.environ.get("UIBNAS_REPORT_SCREENSHOT") or os.path.join(work, "report.png")
    chromium(browser, html, os.path.join(work, "profile"), "--hide-scrollbars", "--window-size=1200,3000",
             "--screenshot=" + shot)
    with open(shot, "rb") as f:
        png = f.read()
    if not png.startswith(b"\x89PNG") or len(png) < 20000:
        fail(f"screenshot {shot} is not a rendered page ({len(png)} bytes)")


def main():
    if len(sys.argv) != 3:
        fail("usage: browser_report.py SOURCE_DIR UIBNAS_BINARY")
    source, uibnas = sys.argv[1], sys.argv[2]
    browser = chromium_binary()
    work = tempfile.mkdtemp(prefix="uibnas_report_browser_")
    try:
        html = os.path.join(work, "report.html")
        run([uibnas, "report", *make_inputs(source, uibnas, work), "-o", html])
        check_page_xml(html, os.path.join(work, "report_files"))
        check_rendering(browser, html, work)
        print("report rendered: %d figures, %d bytes" % (len(EXPECTED_FIGURES), os.path.getsize(html)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
