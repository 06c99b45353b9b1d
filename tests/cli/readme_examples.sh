#!/usr/bin/env bash
# Runs every example of README.md: each line of a ```sh block that starts with `build/cli/uibnas`
# (with `\` continuations joined). Other lines of sh blocks (make, apt-get) and other blocks
# (```console, ```text) are not run. The examples run in order in one scratch folder that mirrors the
# repository, so relative paths resolve as in a clone and files they write stay out of the tree;
# `build/cli/uibnas` stands for the binary given here, wherever the build folder is.
# Usage: readme_examples.sh SOURCE_DIR UIBNAS_BINARY
set -euo pipefail

source_dir=$(cd "$1" && pwd)
binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
readme="$source_dir/README.md"
[ -x "$binary" ] || { echo "readme_examples: no binary at $binary" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for entry in "$source_dir"/*; do
  name=$(basename "$entry")
  [ "$name" = build ] || ln -s "$entry" "$scratch/$name"
done

# One example per output line: sh blocks only, continuations joined, uibnas lines only.
examples=$(awk '
  /^```sh[[:space:]]*$/ { in_sh = 1; next }
  /^```/ { in_sh = 0; line = ""; next }
  !in_sh { next }
  {
    text = $0
    if (text ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", text); line = line text " "; next }
    line = line text
    if (line ~ /^[[:space:]]*build\/cli\/uibnas[[:space:]]/) print line
    line = ""
  }' "$readme")

if [ -z "$examples" ]; then
  echo "readme_examples: found no example in $readme" >&2
  exit 1
fi

count=0
failed=0
while IFS= read -r example; do
  count=$((count + 1))
  command=${example//build\/cli\/uibnas/$binary}
  start=$(date +%s)
  if (cd "$scratch" && bash -o pipefail -c "$command" </dev/null >"$scratch/.output" 2>&1); then
    echo "ok   ($(($(date +%s) - start)) s) $example"
  else
    status=$?
    failed=$((failed + 1))
    echo "FAIL (exit $status) $example"
    sed 's/^/     | /' "$scratch/.output" | tail -20
  fi
done <<<"$examples"

echo "$count examples, $failed failed"
[ "$failed" -eq 0 ]
