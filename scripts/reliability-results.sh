# Sourced by scripts/reliability.sh and scripts/gauntlet.sh: where a run's results go and how
# a step records one, for scripts/reliability-report.py to read.
#
# The results directory is $DCS_RESULTS_DIR (default build/reliability-results). A producer
# (reliability, gauntlet) owns PRODUCER.jsonl there, one JSON object per line: a "run" line
# when it starts, then one line per step ({"step", "result", "seconds", "log"}), then a
# "done" line; and logs/PRODUCER/, a copy of each step's full output, from which the report
# takes its figures. Starting a producer replaces only its own results.

results_dir=${DCS_RESULTS_DIR:-$root/build/reliability-results}

# json_string TEXT: TEXT as a JSON string (the names and paths used here need no more).
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# results_start PRODUCER: a fresh PRODUCER.jsonl and logs/PRODUCER/.
results_start() {
  results_producer=$1
  results_file=$results_dir/$results_producer.jsonl
  rm -rf "$results_dir/logs/$results_producer"
  mkdir -p "$results_dir/logs/$results_producer"
  printf '{"producer":%s,"event":"run","started":%s}\n' "$(json_string "$results_producer")" \
    "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" >"$results_file"
}

# results_record STEP RESULT SECONDS LOG: one step's line, and a copy of its log.
results_record() {
  local step=$1 result=$2 seconds=$3 log=$4 slug
  slug=$(printf '%s' "$step" | tr -c 'A-Za-z0-9._-' '-')
  cp "$log" "$results_dir/logs/$results_producer/$slug.log" 2>/dev/null || : >"$results_dir/logs/$results_producer/$slug.log"
  printf '{"producer":%s,"step":%s,"result":%s,"seconds":%d,"log":%s}\n' \
    "$(json_string "$results_producer")" "$(json_string "$step")" "$(json_string "$result")" \
    "$seconds" "$(json_string "logs/$results_producer/$slug.log")" >>"$results_file"
}

# results_done SECONDS: the producer's last line, with its total time.
results_done() {
  printf '{"producer":%s,"event":"done","seconds":%d,"finished":%s}\n' \
    "$(json_string "$results_producer")" "$1" "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" \
    >>"$results_file"
}
