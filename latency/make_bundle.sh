#!/usr/bin/env bash
# Packs the uibnas binary of BUILD_DIR into a relocatable profiling bundle, the folder
# DEST/uibnas-bundle (x86_64, the default ARCH) or DEST/uibnas-bundle-aarch64, and the tarball
# DEST/uibnas-bundle-ARCH.tar.gz holding it.
#   x86_64:  bin/uibnas with RPATH $ORIGIN/../lib and the non-glibc libraries it needs; the C runtime
#            (glibc 2.36 or newer) comes from the host.
#   aarch64: everything, glibc and its loader included, started by a bin/uibnas launcher that runs
#            the bundled loader on bin/uibnas.bin with the bundled library path, so it runs on any
#            aarch64 Linux kernel, Android's adb shell (which has no glibc) included.
set -euo pipefail
build_dir=${1:?usage: make_bundle.sh BUILD_DIR DEST_DIR [x86_64|aarch64]}
dest=${2:?usage: make_bundle.sh BUILD_DIR DEST_DIR [x86_64|aarch64]}
arch=${3:-x86_64}
binary="$build_dir/cli/uibnas"
[ -x "$binary" ] || { echo "error: $binary not found; build first" >&2; exit 2; }
case "$arch" in
  x86_64) name=uibnas-bundle ;;
  aarch64) name=uibnas-bundle-aarch64 ;;
  *) echo "error: unknown architecture '$arch' (x86_64 or aarch64)" >&2; exit 2 ;;
esac
root="$dest/$name"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib"

is_c_runtime() {
  case "$(basename "$1")" in
    libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|linux-vdso*) return 0 ;;
    *) return 1 ;;
  esac
}

# The aarch64 dependency closure from the ELF headers (ldd cannot run a foreign binary): each
# DT_NEEDED name looked up where Debian's cross toolchain and arm64 multiarch packages put them.
aarch64_dirs=(/usr/aarch64-linux-gnu/lib /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu)
needed_names() { aarch64-linux-gnu-readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
find_aarch64_lib() {
  for dir in "${aarch64_dirs[@]}"; do
    [ -e "$dir/$1" ] && { echo "$dir/$1"; return 0; }
  done
  echo "error: $1 (needed by the aarch64 build) not found in ${aarch64_dirs[*]}" >&2
  return 1
}
copy_aarch64_closure() {
  local queue=("$1") file lib path
  while [ ${#queue[@]} -gt 0 ]; do
    file=${queue[0]}
    queue=("${queue[@]:1}")
    for lib in $(needed_names "$file"); do
      [ -e "$root/lib/$lib" ] && continue
      path=$(find_aarch64_lib "$lib")
      cp -L "$path" "$root/lib/$lib"
      queue+=("$root/lib/$lib")
    done
  done
  local loader
  loader=$(find_aarch64_lib ld-linux-aarch64.so.1)
  cp -L "$loader" "$root/lib/ld-linux-aarch64.so.1"
}

if [ "$arch" = aarch64 ]; then
  cp "$binary" "$root/bin/uibnas.bin"
  copy_aarch64_closure "$root/bin/uibnas.bin"
  cat > "$root/bin/uibnas" <<'SH'
#!/bin/sh
# Runs uibnas through the bundled glibc loader and libraries; nothing is taken from the system
# (--inhibit-cache: the host's ld.so.cache, if any, is not consulted). UIBNAS_EMULATOR, when set,
# runs the loader under it (qemu-aarch64-static on an x86-64 host).
here=$(cd "$(dirname "$0")/.." && pwd) || exit 2
exec ${UIBNAS_EMULATOR:+"$UIBNAS_EMULATOR"} "$here/lib/ld-linux-aarch64.so.1" --inhibit-cache \
    --library-path "$here/lib" "$here/bin/uibnas.bin" "$@"
SH
  chmod +x "$root/bin/uibnas"
  cat > "$root/README.txt" <<'TXT'
uibnas profiling bundle for 64-bit ARM Linux (Raspberry Pi OS 64-bit, Jetson, Android adb shell, ...).
Everything it needs is inside, glibc included. No install needed:
  bin/uibnas hwinfo
  bin/uibnas profile --hardware NAME --models all --threads N --cpus LIST --out NAME-tN.json
Bring the .json table back and use it with `uibnas table info` / `uibnas estimate`.
The binary runs NEON kernels (see `hwinfo`, "kernels"); UIBNAS_DISABLE_NEON=1 forces the portable ones.
TXT
else
  cp "$binary" "$root/bin/uibnas"
  # ldd lists the whole dependency closure with the paths the host resolves.
  ldd "$binary" | awk '/=> \// {print $3}' | while read -r lib; do
    is_c_runtime "$lib" || cp -L "$lib" "$root/lib/"
  done
  cat > "$root/README.txt" <<'TXT'
uibnas profiling bundle (x86-64 Linux, glibc 2.36 or newer). No install needed:
  bin/uibnas hwinfo
  bin/uibnas profile --hardware NAME --models all --threads N --out NAME-tN.json
Bring the .json table back and use it with `uibnas table info` / `uibnas estimate`.
The binary picks AVX-512 kernels at run time where the CPU has them (see `hwinfo`, "kernels").
TXT
fi
tar -C "$dest" -czf "$dest/uibnas-bundle-$arch.tar.gz" "$name"
echo "$dest/uibnas-bundle-$arch.tar.gz"
