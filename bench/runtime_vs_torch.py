#!/usr/bin/env python3
"""Side-by-side latency and memory of `uibnas run` and PyTorch frozen (oneDNN) on the same machine.

The anchor is chosen by the model's family: ../shared/bench/torch_anchor.py's MobileNetV4 for MNv4
(short names: conv_small, ...), bench/torch_baselines.py for the baselines (mobilenetv3_large_100,
efficientnet_b0, ...: arch_defs/models/*.json of another family). It is traced and frozen with
torch.jit.optimize_for_inference (oneDNN, conv+BN+activation fused) and kept alive in one worker process
per model and thread count. Each round runs, for every thread count, `uibnas run` (a fresh process:
compile, --warmup runs, --repeat timed runs) and --repeat timed runs of the warm PyTorch worker; the
order of the two sides and of the thread counts flips every round, so drift on a shared machine hits
both sides alike. Latency is the median of all timed runs of a side (rounds x repeat); the ratio's
spread is the p10..p90 of the per-round ratios. Memory: max resident set of each `uibnas run` (GNU
time -v) against the runtime's bound (packed weights + activation arena + 30 MB), and the worker's
VmHWM for PyTorch (import, trace, freeze and runs: what torch_anchor.py's process holds).

  bench/runtime_vs_torch.py [--models conv_small,mobilenetv3_large_100,...] [--threads 1,2] [--rounds 20] [--repeat 5]

Needs Debian's python3-torch and a real BLAS behind it (Debian's torch calls the system libblas for
the attention matmuls; the reference libblas3 makes them ~3x slower): apt-get install python3-torch
libopenblas0-pthread. Run with /usr/bin/python3 after `make build`.
"""
import argparse, datetime, json, os, re, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
UIBNAS = os.path.join(ROOT, "build", "cli", "uibnas")
ANCHOR_DIR = os.path.join(SHARED, "bench")
ARCHS = os.path.join(SHARED, "reference", "mnv4_archs.json")
MODELS_DIR = os.path.join(ROOT, "arch_defs", "models")
PAPER = ["conv_small", "conv_medium", "conv_large", "hybrid_medium", "hybrid_large"]
BOUND_SLACK_MB = 30


def uibnas_name(model):
    """A built-in model's full name: baselines and full MNv4 names as given, MNv4 short names prefixed."""
    return model if os.path.exists(os.path.join(MODELS_DIR, model + ".json")) else "mobilenetv4_" + model


def family(model):
    path = os.path.join(MODELS_DIR, uibnas_name(model) + ".json")
    if not os.path.exists(path):
        sys.exit(f"unknown model {model!r}: not in {MODELS_DIR} (MNv4 short names: conv_small, ...)")
    return json.load(open(path)).get("family", "mobilenetv4")


def torch_anchor_model(model):
    """The PyTorch module of the model's family (randomly initialised: speed only) and its input size."""
    if family(model) == "mobilenetv4":
        sys.path.insert(0, ANCHOR_DIR)
        import torch_anchor
        arch = torch_anchor.load_arch(ARCHS, uibnas_name(model))
        return torch_anchor.MobileNetV4(arch).eval(), arch["input_size"]
    import torch_baselines
    return torch_baselines.build(uibnas_name(model)), torch_baselines.load_arch(uibnas_name(model))["input_size"]


def torch_worker(model, threads, warmup):
    """Builds, traces and freezes the model once, then answers 'N' lines with N timed runs (JSON list of ms)."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    m, size = torch_anchor_model(model)
    x = torch.randn(1, 3, size, size)
    with torch.no_grad():
        f = torch.jit.optimize_for_inference(torch.jit.trace(m, x))
        for _ in range(warmup):
            f(x)
        print("ready", flush=True)
        for line in sys.stdin:
            ts = []
            for _ in range(int(line)):
                t = time.perf_counter()
                f(x)
                ts.append((time.perf_counter() - t) * 1e3)
            print(json.dumps(ts), flush=True)
    hwm = re.search(r"VmHWM:\s+(\d+) kB", open("/proc/self/status").read())
    print(json.dumps({"vmhwm_mb": int(hwm.group(1)) / 1024 if hwm else None}), flush=True)


class TorchWorker:
    def __init__(self, model, threads, warmup):
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   MKL_NUM_THREADS=str(threads))
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--torch-worker", model, str(threads),
                                   str(warmup)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        if self.p.stdout.readline().strip() != "ready":
            sys.exit(f"PyTorch worker for {model} at {threads} threads failed to start")

    def runs(self, n):
        self.p.stdin.write(f"{n}\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        rss = json.loads(self.p.stdout.readline())["vmhwm_mb"]
        self.p.wait()
        return rss


def uibnas_runs(model, threads, warmup, repeat):
    """One `uibnas run` process: its timed runs (ms), max RSS (MB) and the bound its plan promises (MB)."""
    cmd = [UIBNAS, "run", uibnas_name(model), "--threads", str(threads), "--warmup", str(warmup),
           "--repeat", str(repeat), "--json"]
    if os.path.exists("/usr/bin/time"):
        cmd = ["/usr/bin/time", "-v"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    j = json.loads(p.stdout)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    mem = j["memory_bytes"]
    bound = (mem["packed_weights"] + mem["arena"]) / 2**20 + BOUND_SLACK_MB
    return j["runs_ms"], (int(m.group(1)) / 1024 if m else None), bound


def blas_backend():
    """The library behind libblas.so.3, which Debian's torch (BLAS_INFO=generic) calls for matmuls."""
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"):
        path = os.path.join(d, "libblas.so.3")
        if os.path.exists(path):
            return os.path.realpath(path)
    return "unknown"


def pct(values, q):
    v = sorted(values)
    i = (len(v) - 1) * q / 100
    lo = int(i)
    return v[lo] + (v[min(lo + 1, len(v) - 1)] - v[lo]) * (i - lo)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--torch-worker":
        return torch_worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(PAPER))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=20, help="alternating rounds (default 20)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per side per round (default 5)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--allow-reference-blas", action="store_true",
                    help="run even when torch would use the slow reference BLAS (its attention would be ~3x slower)")
    a = ap.parse_args()
    if not os.path.exists(UIBNAS):
        sys.exit(f"{UIBNAS} not found: run `make build` first")
    if subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode != 0:
        sys.exit(f"{sys.executable} cannot import torch: apt-get install python3-torch, run with /usr/bin/python3")
    blas = blas_backend()
    if "/blas/" in blas and not a.allow_reference_blas:
        sys.exit(f"torch would run its matmuls on the reference BLAS ({blas}), an unfair anchor: "
                 "apt-get install libopenblas0-pthread (or pass --allow-reference-blas)")
    threads = [int(x) for x in a.threads.split(",")]
    for model in a.models.split(","):
        family(model)  # an unknown name fails here, before any worker starts
    hw = json.loads(subprocess.run([UIBNAS, "hwinfo", "--json", "--threads", str(max(threads))], capture_output=True,
                                   text=True, check=True).stdout)
    peaks = {p["threads"]: p["gmacs"] for p in hw["peaks"]}
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "-uno"], capture_output=True, text=True).stdout.strip()
    print(f"# uibnas vs PyTorch frozen: commit {commit}{'+changes' if dirty else ''}, {datetime.date.today()}, "
          f"{hw['cpu_model']}, {os.cpu_count()} CPUs; torch BLAS {blas}")
    print(f"# {a.rounds} alternating rounds x {a.repeat} runs per side; medians of all runs; FMA peak (hwinfo) "
          + ", ".join(f"{peaks[t]:.1f} GMAC/s at {t}t" for t in threads if t in peaks))
    print("| model | threads | uibnas ms | PyTorch frozen ms | ratio | ratio p10..p90 | uibnas GMAC/s | % of FMA peak "
          "| uibnas RSS MB | bound MB | PyTorch RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    scaling = []
    for model in a.models.split(","):
        total_macs = json.loads(subprocess.run([UIBNAS, "show", uibnas_name(model), "--format", "json"],
                                               capture_output=True, text=True, check=True).stdout)["macs"]
        workers = {t: TorchWorker(model, t, a.warmup) for t in threads}
        ours = {t: [] for t in threads}
        theirs = {t: [] for t in threads}
        ratios = {t: [] for t in threads}
        rss, bound = {t: 0.0 for t in threads}, {t: 0.0 for t in threads}
        for r in range(a.rounds):
            for t in (threads if r % 2 == 0 else threads[::-1]):
                def run_ours():
                    runs, m, b = uibnas_runs(model, t, a.warmup, a.repeat)
                    rss[t], bound[t] = max(rss[t], m or 0), b
                    return runs
                sides = [run_ours, lambda: workers[t].runs(a.repeat)]
                if r % 2 == 1:
                    sides.reverse()
                got = [f() for f in sides]
                o, p = (got[0], got[1]) if r % 2 == 0 else (got[1], got[0])
                ours[t] += o
                theirs[t] += p
                ratios[t].append(statistics.median(o) / statistics.median(p))
            print(f"  round {r + 1}/{a.rounds} {model}: " + ", ".join(
                f"t={t} uibnas {statistics.median(ours[t][-a.repeat:]):.2f} ms torch {statistics.median(theirs[t][-a.repeat:]):.2f} ms"
                for t in threads), file=sys.stderr, flush=True)
        med = {t: (statistics.median(ours[t]), statistics.median(theirs[t])) for t in threads}
        for t in threads:
            torch_rss = workers[t].close()
            mo, mp = med[t]
            gmacs = total_macs / (mo * 1e-3) / 1e9
            peak = f"{100 * gmacs / peaks[t]:.0f}%" if t in peaks else "-"
            print(f"| {model} | {t} | {mo:.2f} | {mp:.2f} | {mo / mp:.2f} | {pct(ratios[t], 10):.2f}..{pct(ratios[t], 90):.2f} "
                  f"| {gmacs:.1f} | {peak} | {rss[t]:.0f} | {bound[t]:.0f} | {torch_rss:.0f} |", flush=True)
        if len(threads) > 1:
            t0, t1 = threads[0], threads[-1]
            # Per round, t0 and t1 ran seconds apart: the per-round speed-ups cancel slow drift.
            per_round = [statistics.median(ours[t0][i:i + a.repeat]) / statistics.median(ours[t1][i:i + a.repeat])
                         for i in range(0, len(ours[t0]), a.repeat)]
            scaling.append(f"| {model} | {t0} -> {t1} | {med[t0][0] / med[t1][0]:.2f} | {statistics.median(per_round):.2f} "
                           f"({pct(per_round, 10):.2f}..{pct(per_round, 90):.2f}) | {med[t0][1] / med[t1][1]:.2f} |")
    if scaling:
        fma = f"{peaks[threads[-1]] / peaks[threads[0]]:.2f}" if threads[0] in peaks and threads[-1] in peaks else "-"
        print(f"\nSpeed-up from {threads[0]} to {threads[-1]} threads (the register-only FMA loop of hwinfo: {fma}x)")
        print("| model | threads | uibnas speed-up (medians) | uibnas per-round speed-up, median (p10..p90) | PyTorch speed-up |")
        print("|---|---|---|---|---|")
        print("\n".join(scaling))


if __name__ == "__main__":
    main()
