# Starts and stops a pratu server for tests and the benchmark. Source it from bash:
#   source tests/e2e/server.sh
#   pratu_start BINARY LOG_PREFIX [serve options...]   # sets PRATU_PID and PRATU_URL
#   pratu_stop                                         # SIGTERM; fails unless it exits 0
# The server listens on 127.0.0.1:0 and prints "Pratu is listening on http://127.0.0.1:PORT".

# pratu_start BINARY LOG_PREFIX [serve options...]
pratu_start() {
  local binary=$1 log=$2
  shift 2
  PRATU_PID=""
  PRATU_URL=""
  PRATU_LOG=$log
  "$binary" serve --listen 127.0.0.1:0 "$@" >"$log.out" 2>"$log.err" </dev/null &
  PRATU_PID=$!
  local deadline=$((SECONDS + ${PRATU_START_TIMEOUT:-90}))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$PRATU_PID" 2>/dev/null; then
      local status=0
      wait "$PRATU_PID" || status=$?
      echo "pratu exited with status $status while starting; its output:" >&2
      pratu_show_log >&2
      PRATU_PID=""
      return 1
    fi
    if [[ -z $PRATU_URL ]]; then
      PRATU_URL=$({ grep -a -h -o -m1 'Pratu is listening on http://[0-9.]*:[0-9]*' "$log.out" "$log.err" 2>/dev/null ||
        true; } | head -n1 | sed 's/.*listening on //')
    fi
    if [[ -n $PRATU_URL ]] && curl -fsS -m 2 -o /dev/null "$PRATU_URL/readyz" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "pratu did not become ready (listening line and /readyz) within ${PRATU_START_TIMEOUT:-90} s; its output:" >&2
  pratu_show_log >&2
  kill -KILL "$PRATU_PID" 2>/dev/null || true
  wait "$PRATU_PID" 2>/dev/null || true
  PRATU_PID=""
  return 1
}

# The last lines the server printed.
pratu_show_log() {
  echo "--- stdout (last 40 lines) ---"
  tail -n 40 "$PRATU_LOG.out" 2>/dev/null || true
  echo "--- stderr (last 40 lines) ---"
  tail -n 40 "$PRATU_LOG.err" 2>/dev/null || true
}

# pratu_stop: graceful shutdown; returns 0 only when the server exits 0 within 20 s.
pratu_stop() {
  [[ -n ${PRATU_PID-} ]] || return 0
  local pid=$PRATU_PID status=0
  PRATU_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pratu did not exit within 20 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
  fi
  wait "$pid" || status=$?
  if ((status != 0)); then
    echo "pratu exited with status $status after SIGTERM (expected 0)" >&2
    pratu_show_log >&2
    return 1
  fi
  return 0
}
