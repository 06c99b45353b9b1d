#!/usr/bin/env bash
# Packs the uibnas binary of BUILD_DIR with the shared libraries it needs into a relocatable bundle:
#   DEST/uibnas-bundle/{bin/uibnas, lib/*.so*, README.txt} and DEST/uibnas-bundle-x86_64.tar.gz
# The binary carries RPATH $ORIGIN/../lib, so on another x86-64 Linux it finds the bundled libraries
# first; only the C runtime (glibc: libc, libm, libdl, libpthread, librt, ld-linux) comes from the host.
set -euo pipefail
build_dir=${1:?usage: make_bundle.sh BUILD_DIR DEST_DIR}
dest=${2:?usage: make_bundle.sh BUILD_DIR DEST_DIR}
binary="$build_dir/cli/uibnas"
[ -x "$binary" ] || { echo "error: $binary not found; build first (make build)" >&2; exit 2; }
root="$dest/uibnas-bundle"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib"
cp "$binary" "$root/bin/uibnas"
is_c_runtime() {
  case "$(basename "$1")" in
    libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|linux-vdso*) return 0 ;;
    *) return 1 ;;
  esac
}
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
tar -C "$dest" -czf "$dest/uibnas-bundle-x86_64.tar.gz" uibnas-bundle
echo "$dest/uibnas-bundle-x86_64.tar.gz"
