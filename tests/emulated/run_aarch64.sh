#!/usr/bin/env bash
# `make test-aarch64`: the aarch64 build under qemu-aarch64-static. Timing under emulation means
# nothing, so this checks correctness and completeness only:
#   1. test_runtime's tests in TEST_SPEC (kernel testers, parity tests whose large fixtures come from
#      ../shared, scheduler), with the arm64 multiarch libraries;
#   2. the bundle with nothing but itself: every library the loader resolves lies inside it, and
#      bin/uibnas (the launcher, through the bundled loader) runs hwinfo and a short profile whose
#      table the host build reads back.
# Usage: run_aarch64.sh AARCH64_BUILD_DIR BUNDLE_DIR HOST_UIBNAS [TEST_SPEC]
set -euo pipefail
build=${1:?usage: run_aarch64.sh AARCH64_BUILD_DIR BUNDLE_DIR HOST_UIBNAS [TEST_SPEC]}
bundle=$(cd "${2:?}" && pwd)
host_uibnas=${3:?}
spec=${4:-[kernels],[gemm],[dwconv],[pooling],[attention],[elementwise]}
qemu=qemu-aarch64-static
command -v "$qemu" >/dev/null || { echo "error: $qemu not found (make aarch64-deps installs it)" >&2; exit 2; }

echo "== test_runtime under qemu: $spec"
start=$SECONDS
# libc and its loader from one glibc build (the multiarch pair): the cross toolchain's loader with
# the multiarch libc hangs in the first pthread_create.
"$qemu" /usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 --library-path /usr/lib/aarch64-linux-gnu \
    "$build/tests/test_runtime" "$spec"
echo "test_runtime: $((SECONDS - start)) s under emulation"

echo "== the bundle resolves every library inside itself"
listing=$("$qemu" "$bundle/lib/ld-linux-aarch64.so.1" --inhibit-cache --library-path "$bundle/lib" --list "$bundle/bin/uibnas.bin")
echo "$listing"
outside=$(echo "$listing" | awk '/=>/ {print $3}' | xargs -r readlink -f | grep -v "^$bundle/lib/" || true)
missing=$(echo "$listing" | grep "not found" || true)
[ -z "$outside$missing" ] || { echo "error: the bundle needs libraries from outside: $outside $missing" >&2; exit 1; }

# Under qemu, /proc/cpuinfo is the host's: hwinfo reports the x86 CPU beside the NEON kernels.
echo "== bin/uibnas hwinfo and a short profile, through the bundle's launcher and loader"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
UIBNAS_EMULATOR=$qemu "$bundle/bin/uibnas" hwinfo --seconds 0.05 | tee "$work/hwinfo.txt"
grep -q "neonfma" "$work/hwinfo.txt" || { echo "error: hwinfo does not report the NEON kernels" >&2; exit 1; }
UIBNAS_EMULATOR=$qemu "$bundle/bin/uibnas" profile --hardware qemu-aarch64 --models mobilenetv4_conv_small \
    --repeat 2 --warmup 1 --rounds 1 --settle 0 --no-progress --out "$work/qemu-t1.json"
"$host_uibnas" table info "$work/qemu-t1.json" | tee "$work/info.txt"
grep -q "neonfma" "$work/info.txt" || { echo "error: the table does not record the NEON kernels" >&2; exit 1; }
echo "aarch64 under emulation: all checks passed"
