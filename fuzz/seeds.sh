#!/usr/bin/env bash
# Writes the fuzz targets' starting corpora under fuzz/corpus/ from what the
# repository already holds: real office-suite fixtures (xlsx, xlsm, xlsb,
# xls, ods), the built-in example plans and template, the criteria and
# letter wording files, and an assessment recorded with the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --no-default-features
bin=target/debug/csu-assess
out=fuzz/corpus
rm -rf "$out"
mkdir -p "$out"/{plan_import,criteria_parse,assessment_read,letter_templates}
cp tests/fixtures/*.{xlsx,xlsm,xlsb,xls,ods} "$out/plan_import/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" examples --out "$tmp/examples" >/dev/null
cp "$tmp"/examples/*.xlsx "$out/plan_import/"
"$bin" template --output "$tmp/template.xlsx" >/dev/null
cp "$tmp/template.xlsx" "$out/plan_import/"
cp criteria/cp*.toml "$out/criteria_parse/"
cp criteria/letters.toml "$out/letter_templates/"
export CSU_ASSESS_KEY_DIR="$tmp/keys"
plan=$(ls "$tmp"/examples/*.xlsx | head -1)
"$bin" assess new "$plan" --as Ann --role Chair -o "$tmp/a.csuassess" >/dev/null
"$bin" assess set --as Ann "$tmp/a.csuassess" "CF1=3:seen in the plan" "CF2=2:two SLAs" >/dev/null
cp "$tmp/a.csuassess" "$out/assessment_read/"
# A checkpoint 3 record with every later kind of entry: an earlier
# checkpoint linked, a carried action reviewed, an interest declared.
mid="$tmp/examples/midlands-shared-outline.xlsx"
"$bin" assess new "$mid" --as Ann -o "$tmp/cp2.csuassess" >/dev/null
"$bin" assess action "$tmp/cp2.csuassess" --action "Sign every SLA" --owner MD --due 2027-06-30 --as Ann >/dev/null
"$bin" assess link "$tmp/a.csuassess" "$tmp/cp2.csuassess" --chosen --as Ann >/dev/null
id=$(grep -o '"A-[0-9a-f]*"' "$tmp/a.csuassess" | head -1 | tr -d '"')
"$bin" assess review "$tmp/a.csuassess" "$id" --not-met --evidence "two SLAs unsigned" --as Ann >/dev/null
"$bin" assess interest "$tmp/a.csuassess" --interest "worked for the host cluster" --as Ann >/dev/null
cp "$tmp/a.csuassess" "$out/assessment_read/later-kinds.csuassess"
echo "corpora written under $out: $(find "$out" -type f | wc -l) files"
