#!/usr/bin/env bash
# Prints the Rust crates built into the program, one a line as
# NAME<tab>VERSION<tab>LICENCE, for every platform a package is made for:
# the list the About box and `csu-assess about` show, kept in
# assets/third-party.tsv. Build-only crates (build scripts, procedural
# macros) and test-only ones are left out: none of their code is shipped.
# After a change to the dependencies:
#   packaging/third-party.sh > assets/third-party.tsv
# (tests/packaging.rs fails, naming this command, while the file is stale.)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
for t in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
  targets+=(--target "$t")
done
"${CARGO:-cargo}" tree --offline --locked --edges normal,no-proc-macro "${targets[@]}" \
    --prefix none --format $'{p}\t{l}' \
  | sed -e 's/ (\*)$//' \
  | grep -v -e '^$' -e '^csu-assess ' \
  | sed -E $'s/^([^ ]+) v([^ \t]+)[^\t]*\t/\\1\t\\2\t/' \
  | LC_ALL=C sort -u
