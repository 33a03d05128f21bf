#!/usr/bin/env bash
# Formatting and lint for every language: clang-format and clang-tidy (C/C++), gofmt and
# go vet (Go), ruff and mypy --strict (Python). Needs a configured build directory for
# clang-tidy's compile_commands.json, and the project's virtual environment (ruff and mypy;
# scripts/install-deps.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
build_dir=${BUILD_DIR:-build}
root=$PWD
status=0

mapfile -t cxx_files < <(git ls-files '*.c' '*.cpp' '*.hpp' '*.h')
echo "lint: clang-format (${#cxx_files[@]} files)"
clang-format --dry-run -Werror "${cxx_files[@]}" || status=1

mapfile -t tidy_files < <(git ls-files 'core/src/*.cpp' 'capi/src/*.cpp' 'cli/*.cpp' 'cli/**/*.cpp')
echo "lint: clang-tidy (${#tidy_files[@]} files)"
printf '%s\n' "${tidy_files[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet 2>/dev/null || status=1

# The root module's directory also holds the untracked build trees, so gofmt reads the files
# git knows (tracked, or new and not ignored), not the directory.
for module in $(git ls-files '*go.mod' | xargs -n1 dirname); do
  echo "lint: gofmt and go vet in $module"
  unformatted=$(cd "$module" && git ls-files -z --cached --others --exclude-standard '*.go' |
    xargs -0r gofmt -l)
  if [[ -n $unformatted ]]; then
    echo "gofmt: not formatted: $unformatted"
    status=1
  fi
  (cd "$module" && PKG_CONFIG_PATH="$root/$build_dir/pkgconfig" go vet ./...) || status=1
done
echo "lint: the Go binding compiles every C++ source of libdcs (bindings/go/internal/libdcs)"
bindings/go/internal/libdcs/gen_sources.sh --check || status=1

mapfile -t py_files < <(git ls-files '*.py')
if ((${#py_files[@]})); then
  echo "lint: ruff (${#py_files[@]} files)"
  ruff check "${py_files[@]}" || status=1
  ruff format --check "${py_files[@]}" || status=1
fi
if [[ -d bindings/python/src/dcs || -d bindings/python/dcs ]]; then
  echo "lint: mypy --strict"
  (cd bindings/python && mypy --strict "$(ls -d src/dcs dcs 2>/dev/null | head -1)") || status=1
fi
exit $status
