#!/usr/bin/env python3
"""Writes the seed corpora of fuzz/corpus/<target>/ from the shipped files and the test suite's
malformed cases; re-run after a format changes (the corpora are committed, kept small)."""
import glob, json, os, re, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def shipped(pattern):
    return sorted(glob.glob(os.path.join(ROOT, pattern)))


def block_strings():
    seen = set()
    for path in shipped("arch_defs/models/*.json"):
        for stage in json.load(open(path))["stages"]:
            seen.update(stage)
    tests = open(os.path.join(ROOT, "tests/arch_defs/test_block_strings.cpp")).read()
    seen.update(re.findall(r'\{"([^"]*)", "', tests))  # the malformed cases
    seen.update(re.findall(r'parse_block_string\("([^"]+)"\)', tests))
    for i, text in enumerate(sorted(seen)):
        put("block_string", f"b{i:03d}", text)


def architectures():
    for path in shipped("arch_defs/models/*.json") + shipped("tests/data/tiny/*.arch.json"):
        put("architecture_json", os.path.basename(path), open(path, "rb").read())
    put("architecture_json", "number-out-of-range", '{"name": "x", "stem": 1e400, "stages": []}')
    put("architecture_json", "deep", '{"name": "x", "paper": ' + "[" * 80 + "]" * 80 + "}")


def spaces():
    for i, path in enumerate(shipped("searchspace/spaces/*.json")):
        put("space_json", os.path.basename(path), open(path, "rb").read())
        for enc in ["0", "1", "b", "1b", "zz", "01b", "zzzzzzzzzzzz"]:
            put("encodings", f"s{i}-{enc}", bytes([i]) + enc.encode())
    put("encodings", "other-space", b"\x00conv-x:1b")


def safetensors_file(tensors, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def safetensors():
    put("safetensors", "dtypes", safetensors_file([
        ("f32", "F32", [2, 2], struct.pack("<4f", 1, -2, 0.5, 3)),
        ("f16", "F16", [3], struct.pack("<3H", 0x3C00, 0x7C00, 0x0001)),
        ("bf16", "BF16", [2], struct.pack("<2H", 0x3F80, 0x7FC0)),
        ("f64", "F64", [], struct.pack("<d", 1e300)),
        ("i64", "I64", [1], struct.pack("<q", 7)),
        ("u8", "U8", [2], b"\x01\x02"),
        ("flag", "BOOL", [0], b""),
    ], {"format": "pt"}))
    put("safetensors", "empty-header", struct.pack("<Q", 2) + b"{}")
    put("safetensors", "short", b"\x01\x02")
    for path in shipped("tests/data/tiny/*.weights.safetensors"):  # the header only: data cut off
        raw = open(path, "rb").read()
        n = struct.unpack("<Q", raw[:8])[0]
        put("safetensors", os.path.basename(path) + ".header", raw[:8 + n])


def latency_table():
    table = json.load(open(os.path.join(ROOT, "latency/tables/xeon-vm-2vcpu-t1.json")))
    runs = sorted(table["end_to_end"], key=lambda r: len(r["parts"]))[:3]
    keys = {p for r in runs for p in r["parts"]}
    table["end_to_end"] = runs
    table["entries"] = [e for e in table["entries"] if e["signature"] in keys]
    put("latency_table", "xeon-t1-slice.json", json.dumps(table, indent=0))
    table["entries"][0]["block"]["stride"] = 0
    put("latency_table", "zero-stride.json", json.dumps(table, indent=0))
    put("latency_table", "not-a-table.json", '{"schema": 1, "version": 4294967297}')


def measured():
    latency = {"median_ms": 1.0, "p10_ms": 0.9, "p90_ms": 1.2, "min_ms": 0.8, "repeats": 5}
    network = {"name": "conv_small", "group": "mnv4", "resolution": 224, "latency": latency,
               "rounds": [latency, latency], "slot_parts_median_ms": [0.1, 0.2], "slot_parts_min_ms": [0.1, 0.1]}
    put("measured", "measured.json", json.dumps({"threads": 1, "fma_probe_gmacs": [10.5], "networks": [network]}))
    put("measured", "negative-repeats.json",
        json.dumps({"threads": 1, "networks": [dict(network, latency=dict(latency, repeats=-5))]}))
    put("measured", "other-threads.json", json.dumps({"threads": 2, "networks": []}))


if __name__ == "__main__":
    for make in (block_strings, architectures, spaces, safetensors, latency_table, measured):
        make()
    sys.exit(0)
