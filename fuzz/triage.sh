#!/usr/bin/env bash
# Replays fuzz inputs and says where each one fails:
#   fuzz/triage.sh TARGET FILE...
# One line per input: "<kind>  <where>  <file>". Kinds:
#   contained  the workbook target failed inside `workbook::read`, in a
#              third-party reader (calamine, zip, ...): the app runs that in
#              its child process, which contains it; keep the input as a
#              regression fixture (tests/fixtures/fuzz/) all the same;
#   OURS       anything else: a bug in the app's own process; fix it;
#   no-repro   the input no longer fails.
# Exit status 1 when any input is OURS.
set -u
target=$1; shift
bin=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release/$target
ours=0
for f in "$@"; do
  out=$( (ulimit -v "${FUZZ_VMEM_KB:-4194304}"; RUST_BACKTRACE=1 timeout 120 "$bin" -rss_limit_mb=2048 -timeout=10 "$f" 2>&1) )
  what=$(grep -m1 -oE 'panicked at [^ ]+|memory allocation of [0-9]+ bytes failed|libFuzzer: (out-of-memory|timeout)' <<<"$out")
  if [ -z "$what" ]; then
    printf 'no-repro   %-60s %s\n' '-' "$f"
    continue
  fi
  # The first frame outside the standard library and libFuzzer.
  first=$(grep -E '^ +at /' <<<"$out" | grep -vE '/rustc/|/libfuzzer-sys-|/library/(std|core|alloc)/' | head -1 | sed 's/^ *at //')
  case $what in panicked*) where=${what#panicked at };; *) where="$what${first:+ ($first)}";; esac
  where=$(sed -E 's#[^ (]*/\.cargo/registry/src/[^/]+/##g' <<<"$where")
  if [ "$target" = workbook ] && grep -q 'src-tauri/import/workbook.rs' <<<"$out" \
     && grep -q '/.cargo/registry/' <<<"${first:-}" && ! grep -q 'fuzz_targets/' <<<"${first:-}"; then
    kind=contained
  else
    kind=OURS
    ours=1
  fi
  printf '%-10s %-60s %s\n' "$kind" "$where" "$f"
done
exit $ours
