# What the benchmark scripts share; sourced from the repository root.

# How much others want the machine: the load average, and the share of the last minute in
# which some task waited for a processor or for I/O (pressure stall information).
machine() {
  local cpu io
  cpu=$(awk '$1 == "some" {sub("avg60=", "", $3); print $3}' /proc/pressure/cpu 2>/dev/null || true)
  io=$(awk '$1 == "some" {sub("avg60=", "", $3); print $3}' /proc/pressure/io 2>/dev/null || true)
  echo "load average $(cut -d ' ' -f 1 /proc/loadavg), CPU pressure ${cpu:-?} %, I/O pressure ${io:-?} %"
}

# The user + system CPU seconds of process PID so far (0 when it is not readable).
cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / tck}' "/proc/$1/stat" 2>/dev/null ||
    echo 0
}
