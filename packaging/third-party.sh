#!/usr/bin/env bash
# The Rust crates built into the program, for every platform a package is
# made for, and the rest of Cargo.lock accounted for:
#   assets/third-party.tsv    NAME<tab>VERSION<tab>LICENCE, one a line: what
#                             the About box and `csu-assess about` list
#   packaging/not-shipped.tsv NAME<tab>VERSION: every other crate Cargo.lock
#                             names (build scripts, procedural macros, tests,
#                             platforms no package is made for)
# Run it after a change to the dependencies (it downloads the crates of the
# other platforms the first time, so it needs the registry):
#   packaging/third-party.sh
# tests/packaging.rs fails, naming this command, while either file is stale;
# it reads Cargo.lock, which names every platform's crates, and runs
#   packaging/third-party.sh --host
# which prints the host platform's list from the crates `cargo test` has
# already fetched, with no network.
set -euo pipefail
cd "$(dirname "$0")/.."

# The normal (shipped) dependency tree for the targets given, as sorted
# NAME<tab>VERSION<tab>LICENCE lines. Build-only crates (build scripts,
# procedural macros) and test-only ones are left out: none of their code is
# shipped.
shipped() {
  "${CARGO:-cargo}" tree "$@" --locked --edges normal,no-proc-macro --prefix none --format $'{p}\t{l}' \
    | sed -e 's/ (\*)$//' \
    | grep -v -e '^$' -e '^csu-assess ' \
    | sed -E $'s/^([^ ]+) v([^ \t]+)[^\t]*\t/\\1\t\\2\t/' \
    | LC_ALL=C sort -u
}

if [ "${1:-}" = "--host" ]; then
  shipped --offline
  exit 0
fi

targets=()
for t in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
  targets+=(--target "$t")
done
shipped "${targets[@]}" > assets/third-party.tsv
awk -F'"' '/^\[\[package\]\]/ { name = "" } /^name = / { name = $2 } /^version = / && name != "" && name != "csu-assess" { print name "\t" $2 }' Cargo.lock \
  | LC_ALL=C sort -u \
  | LC_ALL=C comm -23 - <(cut -f1,2 assets/third-party.tsv | LC_ALL=C sort -u) > packaging/not-shipped.tsv
echo "assets/third-party.tsv: $(wc -l < assets/third-party.tsv) crates shipped; packaging/not-shipped.tsv: $(wc -l < packaging/not-shipped.tsv) not"
