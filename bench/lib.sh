# Helpers of the bench scripts; sourced, never run.

# median_ms COMMAND...: the median wall time of 5 runs of a command, in milliseconds.
median_ms() {
  local times=()
  for _ in 1 2 3 4 5; do
    local a b
    a=$(date +%s%N); "$@" >/dev/null; b=$(date +%s%N)
    times+=("$(( (b - a) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 / 1000 }'
}
