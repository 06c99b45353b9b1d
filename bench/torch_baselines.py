#!/usr/bin/env python3
"""The baseline networks (MobileNet-V1/V2/V3, EfficientNet-B0) as PyTorch modules: the speed anchor of
bench/runtime_vs_torch.py for the non-MNv4 models.

Written from ../shared/reference/baselines-spec.md, built from this repository's arch_defs/models/NAME.json
(the same definition `uibnas run NAME` compiles), with timm's state_dict names so the fixtures' weights load
with strict=True. Block-string parsing, make_divisible and the safetensors reader are torch_anchor.py's
(../shared/bench), which builds MNv4.

  torch_baselines.py check [--models mobilenetv3_large_100,efficientnet_b0]   # fixture logits and stages
  torch_baselines.py params [--models mobilenetv1_100,...]                    # parameter counts vs the JSON

Needs Debian's python3-torch; run with /usr/bin/python3.
"""
import argparse, json, os, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
MODELS_DIR = os.path.join(ROOT, "arch_defs", "models")
FIXTURES = os.path.join(SHARED, "fixtures")
sys.path.insert(0, os.path.join(SHARED, "bench"))
from torch_anchor import make_divisible, parse_block, read_safetensors  # noqa: E402

BASELINES = ["mobilenetv1_100", "mobilenetv2_100", "mobilenetv3_large_100", "mobilenetv3_small_100",
             "efficientnet_b0"]
WITH_FIXTURE = ["mobilenetv3_large_100", "efficientnet_b0"]
ACTS = {"relu": nn.ReLU, "relu6": nn.ReLU6, "hard_swish": nn.Hardswish, "silu": nn.SiLU, "mish": nn.Mish}
GATES = {"hard_sigmoid": nn.Hardsigmoid, "sigmoid": nn.Sigmoid}
# Block-string tokens that replace the model activation inside one block (spec §1); other n.. tokens are ignored.
ACT_OVERRIDES = {"nre": "relu", "nr6": "relu6", "nhs": "hard_swish", "nsw": "silu", "nmi": "mish"}
RELATIVE_TOLERANCE = 1e-4


def pad(k, s):
    return ((s - 1) + (k - 1)) // 2


class UnfusedHardSwish(nn.Module):
    """hard_swish as x * relu6(x + 3) / 6, which torch.jit.optimize_for_inference does not fuse into the conv."""
    def forward(self, x):
        return x * (F.relu6(x + 3) * (1 / 6))


def activation(act, channels):
    """The activation module for `channels` channels. torch 1.13's frozen conv+hardswish (oneDNN) returns wrong
    values when the channels are not a multiple of 16 (MNv3-large's 72, 184, 200; logits off by 34%), so those
    keep hard_swish out of the fusion; the rest stay fused, PyTorch's fastest correct path."""
    return UnfusedHardSwish() if act is nn.Hardswish and channels % 16 else act()


def bn_act(c, act):
    """timm's BatchNormAct2d: BN then an optional activation (keys of a plain BN)."""
    return nn.BatchNorm2d(c), (activation(act, c) if act else nn.Identity())


class ConvBnAct(nn.Module):  # cn; keys: conv, bn1
    def __init__(self, cin, cout, k, s, act):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, pad(k, s), bias=False)
        self.bn1, self.act1 = bn_act(cout, act)

    def forward(self, x):
        return self.act1(self.bn1(self.conv(x)))


class SqueezeExcite(nn.Module):  # keys: conv_reduce, conv_expand (both with bias)
    def __init__(self, c, rd, act, gate):
        super().__init__()
        self.conv_reduce = nn.Conv2d(c, rd, 1)
        self.act = act()
        self.conv_expand = nn.Conv2d(rd, c, 1)
        self.gate = gate()

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        return x * self.gate(self.conv_expand(self.act(self.conv_reduce(s))))


def make_se(style, c, ratio, e, block_act):
    """The family's SE (spec §2.4), or Identity (no keys) when the block has none."""
    if ratio is None:
        return nn.Identity()
    r = ratio if style["from_expansion"] else ratio / e
    rd = make_divisible(c * r) if style["rounding"] == "make_divisible" else round(c * r)
    act = block_act if style["act"] == "block" else ACTS[style["act"]]
    return SqueezeExcite(c, rd, act, GATES[style["gate"]])


class DepthwiseSeparable(nn.Module):  # ds / dsa; keys: conv_dw, bn1, [se], conv_pw, bn2
    def __init__(self, cin, cout, k, s, act, se, pw_act):
        super().__init__()
        self.conv_dw = nn.Conv2d(cin, cin, k, s, pad(k, s), groups=cin, bias=False)
        self.bn1, self.act1 = bn_act(cin, act)
        self.se = se
        self.conv_pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2, self.act2 = bn_act(cout, act if pw_act else None)
        self.skip = not pw_act and s == 1 and cin == cout  # dsa (MobileNet-V1) never adds its input

    def forward(self, x):
        y = self.se(self.act1(self.bn1(self.conv_dw(x))))
        y = self.act2(self.bn2(self.conv_pw(y)))
        return x + y if self.skip else y


class InvertedResidual(nn.Module):  # ir; keys: conv_pw, bn1, conv_dw, bn2, [se], conv_pwl, bn3
    def __init__(self, cin, cout, k, s, mid, act, se):
        super().__init__()
        self.conv_pw = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn1, self.act1 = bn_act(mid, act)
        self.conv_dw = nn.Conv2d(mid, mid, k, s, pad(k, s), groups=mid, bias=False)
        self.bn2, self.act2 = bn_act(mid, act)
        self.se = se
        self.conv_pwl = nn.Conv2d(mid, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.skip = s == 1 and cin == cout

    def forward(self, x):
        y = self.act1(self.bn1(self.conv_pw(x)))
        y = self.se(self.act2(self.bn2(self.conv_dw(y))))
        y = self.bn3(self.conv_pwl(y))
        return x + y if self.skip else y


def make_block(arch, kind, opts, cin, stride):
    """One block of a decoded block string; its output channels are make_divisible(c * multiplier)."""
    cout = make_divisible(int(opts["c"]) * arch.get("channel_multiplier", 1.0))
    override = next((ACT_OVERRIDES[t] for t in opts if t in ACT_OVERRIDES), None)
    act = ACTS[override or arch["act"]]
    k = int(opts["k"])
    ratio = float(opts["se"]) if "se" in opts else None
    if kind in ("ds", "dsa"):
        se = make_se(arch.get("se"), cin, ratio, 1.0, act)
        return DepthwiseSeparable(cin, cout, k, stride, act, se, pw_act=kind == "dsa"), cout
    if kind == "ir":
        e = float(opts["e"])
        mid = make_divisible(cin * e)
        return InvertedResidual(cin, cout, k, stride, mid, act, make_se(arch.get("se"), mid, ratio, e, act)), cout
    if kind == "cn":
        return ConvBnAct(cin, cout, k, stride, act), cout
    raise ValueError(f"block kind {kind!r} is not a baseline block (MNv4 blocks are torch_anchor.py's)")


class Baseline(nn.Module):
    """timm's EfficientNet / MobileNetV3 class for the baselines: stem, blocks.{stage}.{index}, head."""
    HEADS = ("pool_conv_bias_act", "conv_bn_act_pool", "pool")

    def __init__(self, arch):
        super().__init__()
        act, self.head = ACTS[arch["act"]], arch["head"]
        if self.head not in self.HEADS:
            raise ValueError(f"{arch['name']}: head {self.head!r} is not one of {', '.join(self.HEADS)}")
        self.conv_stem = nn.Conv2d(3, arch["stem"], 3, 2, 1, bias=False)
        self.bn1, self.act1 = bn_act(arch["stem"], act)  # the stem uses the model act even in nre models
        cin, stages = arch["stem"], []
        for stage in arch["stages"]:
            blocks = []
            for i, s in enumerate(stage):
                kind, opts = parse_block(s)
                for r in range(int(opts.get("r", 1))):
                    stride = int(opts.get("s", 1)) if i == 0 and r == 0 else 1
                    block, cin = make_block(arch, kind, opts, cin, stride)
                    blocks.append(block)
            stages.append(nn.Sequential(*blocks))
        self.blocks = nn.Sequential(*stages)
        hidden = arch["head_hidden"]
        if self.head == "pool_conv_bias_act":
            self.conv_head = nn.Conv2d(cin, hidden, 1, bias=True)
            self.act2 = activation(act, hidden)
        elif self.head == "conv_bn_act_pool":
            self.conv_head = nn.Conv2d(cin, hidden, 1, bias=False)
            self.bn2, self.act2 = bn_act(hidden, act)
        self.classifier = nn.Linear(hidden, arch.get("num_classes", 1000))

    def forward(self, x):
        x = self.blocks(self.act1(self.bn1(self.conv_stem(x))))
        if self.head == "pool_conv_bias_act":
            x = self.act2(self.conv_head(F.adaptive_avg_pool2d(x, 1)))
        elif self.head == "conv_bn_act_pool":
            x = F.adaptive_avg_pool2d(self.act2(self.bn2(self.conv_head(x))), 1)
        else:
            x = F.adaptive_avg_pool2d(x, 1)
        return self.classifier(x.flatten(1))


def load_arch(name):
    path = os.path.join(MODELS_DIR, name + ".json")
    if not os.path.exists(path):
        raise ValueError(f"no architecture {path}")
    return json.load(open(path))


def build(name):
    return Baseline(load_arch(name)).eval()


def freeze(m, x):
    """PyTorch's fastest CPU path, the one the speed bench times: traced, oneDNN, conv+BN+activation fused."""
    with torch.no_grad():
        return torch.jit.optimize_for_inference(torch.jit.trace(m, x))


def check_fixture(name):
    """Loads the fixture weights strictly and compares logits, every stageN and the frozen module's logits
    with the stored reference."""
    if name not in WITH_FIXTURE:
        raise SystemExit(f"no fixture for {name}: check covers {', '.join(WITH_FIXTURE)} (params covers all)")
    m = build(name)
    m.load_state_dict(read_safetensors(os.path.join(FIXTURES, name + ".weights.safetensors")), strict=True)
    ref = read_safetensors(os.path.join(FIXTURES, name + ".reference.safetensors"))
    got = {}
    for i, stage in enumerate(m.blocks):
        stage.register_forward_hook(lambda mod, inp, out, key=f"stage{i}": got.__setitem__(key, out))
    with torch.no_grad():
        got["logits"] = m(ref["input"])
        frozen_logits = freeze(m, ref["input"])(ref["input"])
    errors = {k: ((got[k] - ref[k]).abs().max() / ref[k].abs().max()).item() for k in ref if k != "input"}
    errors["frozen_logits"] = ((frozen_logits - ref["logits"]).abs().max() / ref["logits"].abs().max()).item()
    worst = max(errors.values())
    print(json.dumps({"model": name, "relative_max_abs_diff": {k: float(f"{v:.3g}") for k, v in errors.items()},
                      "ok": worst < RELATIVE_TOLERANCE}))
    return worst < RELATIVE_TOLERANCE


def check_params(name):
    arch = load_arch(name)
    n = sum(p.numel() for p in build(name).parameters())
    print(json.dumps({"model": name, "params": n, "expected": arch.get("params"), "ok": n == arch.get("params")}))
    return n == arch.get("params")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["check", "params"])
    ap.add_argument("--models")
    a = ap.parse_args()
    models = a.models.split(",") if a.models else (WITH_FIXTURE if a.cmd == "check" else BASELINES)
    torch.set_num_threads(1)
    check = check_fixture if a.cmd == "check" else check_params
    results = [check(name) for name in models]  # every model, so one failure does not hide the others
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
