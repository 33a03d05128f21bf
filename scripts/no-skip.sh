# Sourced by the test scripts: runners that refuse to pass quietly. Under CI=true a suite
# whose tests skipped (for a missing dependency, say) or that ran no test fails, so a green
# CI never hides a check that did not happen.

# pytest_ci ARGS...: pytest with its skip reasons (-rs) shown; under CI=true any skip fails.
pytest_ci() {
  local out status=0
  out=$(python3 -m pytest -q -p no:cacheprovider -rs "$@" 2>&1) || status=$?
  printf '%s\n' "$out"
  ((status == 0)) || return "$status"
  if [[ ${CI:-} == true ]] && grep -qE '^[0-9]+ passed.* [0-9]+ skipped|^SKIPPED' <<<"$out"; then
    echo "pytest: tests were skipped under CI=true (see SKIPPED above)" >&2
    return 1
  fi
}

# go_test_ci DIR ARGS...: go test -v in DIR; fails when a -run pattern matched no test, and
# under CI=true when a test skipped.
go_test_ci() {
  local dir=$1 out status=0
  shift
  out=$(cd "$dir" && go test -count=1 -v "$@" 2>&1) || status=$?
  printf '%s\n' "$out"
  ((status == 0)) || return "$status"
  if grep -q 'no tests to run' <<<"$out" || ! grep -q '^--- PASS' <<<"$out"; then
    echo "go test: no test ran in $dir for: $*" >&2
    return 1
  fi
  if [[ ${CI:-} == true ]] && grep -q -- '--- SKIP' <<<"$out"; then
    echo "go test: tests were skipped under CI=true:" >&2
    grep -- '--- SKIP' <<<"$out" >&2
    return 1
  fi
}
