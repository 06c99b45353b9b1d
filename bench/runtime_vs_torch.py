#!/usr/bin/env python3
"""Side-by-side latency of `uibnas run` and PyTorch frozen (oneDNN, ../shared/bench/torch_anchor.py).

For each model and thread count, the two runners alternate for --rounds rounds in one process tree; each
round times --repeat runs after warm-up and reports its median. The table gives the median over rounds of
each runner, the ratio uibnas / PyTorch, and uibnas's GMAC/s. Also records max resident set size of each
process (GNU time -v) when /usr/bin/time exists.

  bench/runtime_vs_torch.py [--models conv_small,conv_medium,...] [--threads 1,2] [--rounds 5] [--repeat 20]

Needs Debian's python3-torch (`apt-get install python3-torch`) for the anchor, run with /usr/bin/python3.
"""
import argparse, datetime, json, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
UIBNAS = os.path.join(ROOT, "build", "cli", "uibnas")
ANCHOR = os.path.join(SHARED, "bench", "torch_anchor.py")
ARCHS = os.path.join(SHARED, "reference", "mnv4_archs.json")
PAPER = ["conv_small", "conv_medium", "conv_large", "hybrid_medium", "hybrid_large"]


def timed_process(cmd):
    """Runs cmd under GNU time when available; returns (stdout, max RSS in MB or None)."""
    rss = None
    if os.path.exists("/usr/bin/time"):
        cmd = ["/usr/bin/time", "-v"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if m:
        rss = int(m.group(1)) / 1024
    return p.stdout, rss


def uibnas_round(model, threads, repeat):
    out, rss = timed_process([UIBNAS, "run", "mobilenetv4_" + model, "--threads", str(threads),
                              "--repeat", str(repeat), "--warmup", "5", "--json"])
    return json.loads(out)["latency_ms"]["median"], rss


def torch_round(model, threads, repeat):
    out, rss = timed_process(["/usr/bin/python3", ANCHOR, "latency", "--arch", ARCHS, "--model", "mobilenetv4_" + model,
                              "--threads", str(threads), "--runs", str(repeat), "--warmup", "5", "--mode", "frozen"])
    return json.loads(out)["frozen"]["median_ms"], rss


def macs(model):
    out = subprocess.run([UIBNAS, "show", "mobilenetv4_" + model, "--format", "json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)["macs"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(PAPER))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--peak-gmacs", type=float, default=0,
                    help="FP32 FMA peak per thread count base, GMAC/s (default: measured by `uibnas hwinfo`)")
    a = ap.parse_args()
    if not os.path.exists(UIBNAS):
        sys.exit(f"{UIBNAS} not found: run `make build` first")
    peaks = {}
    if not a.peak_gmacs:
        hw = json.loads(subprocess.run([UIBNAS, "hwinfo", "--json", "--threads", str(max(int(x) for x in a.threads.split(",")))],
                                       capture_output=True, text=True, check=True).stdout)
        peaks = {p["threads"]: p["gmacs"] for p in hw["peaks"]}
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# uibnas vs PyTorch frozen — commit {commit}, {datetime.date.today()}, {os.cpu_count()} cores; "
          f"{a.rounds} alternating rounds x {a.repeat} runs, medians")
    print("| model | threads | uibnas ms | PyTorch frozen ms | ratio | uibnas GMAC/s | % of measured FMA peak | uibnas RSS MB | PyTorch RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for model in a.models.split(","):
        total_macs = macs(model)
        for t in [int(x) for x in a.threads.split(",")]:
            ours, theirs, rss_ours, rss_theirs = [], [], [], []
            for r in range(a.rounds):
                o, ro = uibnas_round(model, t, a.repeat)
                p, rp = torch_round(model, t, a.repeat)
                ours.append(o); theirs.append(p); rss_ours.append(ro); rss_theirs.append(rp)
                print(f"  round {r + 1}/{a.rounds} {model} t={t}: uibnas {o:.2f} ms, torch {p:.2f} ms", file=sys.stderr)
            mo, mp = statistics.median(ours), statistics.median(theirs)
            gmacs = total_macs / (mo * 1e-3) / 1e9
            fmt = lambda v: "-" if v is None else f"{v:.0f}"
            print(f"| {model} | {t} | {mo:.2f} | {mp:.2f} | {mo / mp:.2f} | {gmacs:.1f} | {100 * gmacs / (peaks.get(t) or a.peak_gmacs * t):.0f}% "
                  f"| {fmt(max(x for x in rss_ours if x) if any(rss_ours) else None)} "
                  f"| {fmt(max(x for x in rss_theirs if x) if any(rss_theirs) else None)} |", flush=True)


if __name__ == "__main__":
    main()
