#!/usr/bin/env python3
"""Search quality: NSGA-II against random search (hypervolume of latency x naswot) and regularized
evolution against random search (best feasible TuNAS mnas reward over naswot at T0), on several
spaces and seeds with the same evaluation budget.

Every run's history.csv is scored here with one yardstick per (space, seed): the hypervolume of the
feasible points, both objectives minimised (naswot negated) and normalised by the min and max over
all runs of that space and seed, reference point 1.2 on each normalised axis. T0 is the lookup-table
estimate of the space's published variant on the table.

Run from the repository root after a Release build:
  python3 bench/search_quality.py [--budget 800] [--population 40] [--seeds 5] [--threads 2] [--out DIR]
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import tempfile

UIBNAS = 'build/cli/uibnas'
TABLE = 'latency/tables/xeon-vm-2vcpu-t1.json'
SPACES = {'conv-s': 'conv_small', 'conv-m': 'conv_medium', 'hybrid-m': 'hybrid_medium'}
BETA = -0.10


def lut_ms(model):
    out = subprocess.check_output([UIBNAS, 'estimate', model, '--table', TABLE, '--json'])
    return json.loads(out)['lut_ms']


def search(space, strategy, seed, objectives, extra, args, out):
    cmd = [UIBNAS, 'search', '--space', f'searchspace/spaces/{space}.json', '--table', TABLE, '--allow-missing',
           '--strategy', strategy, '--objectives', objectives, '--budget', str(args.budget),
           '--population', str(args.population), '--seed', str(seed), '--threads', str(args.threads),
           '--out', out, '--no-progress'] + extra
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, 'history.csv')) as f:
        return [(float(r['latency']), float(r['naswot'])) for r in csv.DictReader(f) if r['feasible'] == '1']


def hypervolume_2d(points):
    """Area dominated by minimised 2-D points inside the reference box [.., 1.2]^2."""
    front, best_y = [], float('inf')
    for x, y in sorted(points):
        if y < best_y and x < 1.2 and y < 1.2:
            front.append((x, y))
            best_y = y
    area = 0.0
    for i, (x, y) in enumerate(front):
        next_x = front[i + 1][0] if i + 1 < len(front) else 1.2
        area += (next_x - x) * (1.2 - y)
    return area


def normalised(points, lo, hi):
    return [tuple((v - l) / (h - l) if h > l else 0.0 for v, l, h in zip(p, lo, hi)) for p in points]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--budget', type=int, default=800)
    ap.add_argument('--population', type=int, default=40)
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default=None)
    args = ap.parse_args()
    root = args.out or tempfile.mkdtemp(prefix='uibnas_quality_')
    rows = []
    for space, model in SPACES.items():
        t0 = lut_ms(model)
        for seed in range(1, args.seeds + 1):
            d = lambda name: os.path.join(root, f'{space}-{seed}-{name}')
            runs = {
                'nsga2': search(space, 'nsga2', seed, 'latency,naswot', [], args, d('nsga2')),
                'random': search(space, 'random', seed, 'latency,naswot', [], args, d('random')),
            }
            reward = ['--reward', 'mnas', '--target-latency', str(t0), '--beta', str(BETA)]
            evo = search(space, 'evolution', seed, 'naswot,latency', reward, args, d('evolution'))
            rnd = search(space, 'random', seed, 'naswot,latency', reward, args, d('random-reward'))
            pts = {k: [(lat, -q) for lat, q in v] for k, v in runs.items()}
            allp = pts['nsga2'] + pts['random']
            lo = [min(p[i] for p in allp) for i in range(2)]
            hi = [max(p[i] for p in allp) for i in range(2)]
            hv = {k: hypervolume_2d(normalised(v, lo, hi)) for k, v in pts.items()}
            best = {k: max(q * (lat / t0) ** BETA for lat, q in v) for k, v in (('evolution', evo), ('random', rnd))}
            rows.append({'space': space, 'seed': seed, 't0_ms': t0, 'hv_nsga2': hv['nsga2'], 'hv_random': hv['random'],
                         'reward_evolution': best['evolution'], 'reward_random': best['random']})
            print(json.dumps(rows[-1]), flush=True)
    print(f'\nbudget {args.budget}, population {args.population}, {args.seeds} seeds, table {TABLE} (--allow-missing)')
    print('| space | HV NSGA-II mean (min..max) | HV random mean (min..max) | NSGA-II wins | '
          'best reward evolution mean | random mean | evolution wins |')
    print('|---|---|---|---|---|---|---|')
    for space in SPACES:
        r = [x for x in rows if x['space'] == space]
        f = lambda key: f"{statistics.mean(x[key] for x in r):.4f} ({min(x[key] for x in r):.4f}..{max(x[key] for x in r):.4f})"
        hv_wins = sum(x['hv_nsga2'] > x['hv_random'] for x in r)
        rw_wins = sum(x['reward_evolution'] > x['reward_random'] for x in r)
        print(f"| {space} | {f('hv_nsga2')} | {f('hv_random')} | {hv_wins}/{len(r)} | {f('reward_evolution')} | "
              f"{f('reward_random')} | {rw_wins}/{len(r)} |")


if __name__ == '__main__':
    main()
