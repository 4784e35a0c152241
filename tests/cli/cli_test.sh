#!/usr/bin/env bash
# The pratu command line as an operator uses it: migrate, catalog load, user create, serve and
# SIGTERM, the bank simulator, the banks' connections, and configuration errors that name the problem.
# Usage: cli_test.sh PRATU_BINARY
set -uo pipefail
pratu=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
db="sqlite:$work/pratu.db"
passed=0
failed=0

check() {  # check NAME COMMAND... : the command must succeed
  local name=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/out"
  fi
}

expect_output() {  # expect_output NAME STATUS PATTERN COMMAND...
  local name=$1 status=$2 pattern=$3
  shift 3
  "$@" >"$work/out" 2>&1
  local got=$?
  if [ "$got" -eq "$status" ] && grep -q -- "$pattern" "$work/out"; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name (exit $got, wanted $status and /$pattern/)"; sed 's/^/     /' "$work/out"
  fi
}

expect_output "migrate creates the schema" 0 "up to date" "$pratu" migrate --database "$db"
expect_output "migrate again changes nothing" 0 "up to date" "$pratu" migrate --database "$db"
expect_output "catalog load reports what it stored" 0 "agencies" "$pratu" catalog load --database "$db"
expect_output "feedback statistics prints the totals" 0 "All time" "$pratu" feedback statistics --database "$db"
PRATU_DOCUMENTS_PKI_DIR="$work/pki" expect_output "documents test-pki makes a signer per agency" 0 \
  "agency signer" "$pratu" documents test-pki --database "$db"
check "the test root CA vouches for an agency's signer (openssl verify)" \
  openssl verify -CAfile "$work/pki/root-ca.pem" -untrusted "$work/pki/issuing-ca.pem" "$work/pki/agencies/dbd.pem"

mkdir -p "$work/broken/agencies" "$work/broken/dbd"
cp services/agencies/*.yaml "$work/broken/agencies/"
first_service=$(find services -mindepth 2 -name '*.yaml' ! -path '*/agencies/*' | head -n 1)
sed 's/^legal_time_limit_days:.*/legal_time_limit_days: soon/; s/^\(\s*\)amount:.*/\1amount: -5/' "$first_service" > "$work/broken/dbd/broken.yaml"
expect_output "catalog load names the file of a bad service" 1 "broken.yaml" \
  "$pratu" catalog load --dir "$work/broken" --database "sqlite:$work/other.db"

expect_output "user create makes an officer" 0 "Created officer" \
  sh -c "echo 'a long enough passphrase' | '$pratu' user create --role officer --agency dbd --login officer.test@example.org --password-stdin --database '$db'"
expect_output "user create refuses a duplicate login" 1 "login" \
  sh -c "echo 'a long enough passphrase' | '$pratu' user create --role officer --agency dbd --login officer.test@example.org --password-stdin --database '$db'"
expect_output "user create makes an agency supervisor" 0 "Created supervisor" \
  sh -c "echo 'a long enough passphrase' | '$pratu' user create --role supervisor --agency dbd --login supervisor.test@example.org --password-stdin --database '$db'"
expect_output "a supervisor needs an agency" 1 "agency_code" \
  sh -c "echo 'a long enough passphrase' | '$pratu' user create --role supervisor --login supervisor.two@example.org --password-stdin --database '$db'"
# An agency with one supervisor: nobody there may change their duties, so the operator does.
expect_output "user duties gives the sole supervisor the finance duty" 0 "now holds: cashier, finance" \
  "$pratu" user duties --login SUPERVISOR.TEST@example.org --duty finance --duty cashier --database "$db"
check "the change is recorded with no colleague as its author" sh -c \
  "sqlite3 '$work/pratu.db' \"SELECT COUNT(*) FROM staff_duty_events e JOIN users u ON u.id = e.user_id
   WHERE u.email = 'supervisor.test@example.org' AND e.action = 'granted' AND e.by_user_id IS NULL\" | grep -qx 2"
check "and the supervisor is told in the portal" sh -c \
  "sqlite3 '$work/pratu.db' \"SELECT COUNT(*) FROM notices n JOIN users u ON u.id = n.user_id
   WHERE u.email = 'supervisor.test@example.org' AND n.topic = 'accounts.duties_changed'\" | grep -qx 1"
expect_output "user duties withdraws them all only when told --none" 2 "--none" \
  "$pratu" user duties --login supervisor.test@example.org --database "$db"
expect_output "user duties --none withdraws every duty" 0 "now holds: no duty" \
  "$pratu" user duties --login supervisor.test@example.org --none --database "$db"
expect_output "user duties finds no applicant or administrator" 1 "no officer, supervisor or clerk" \
  "$pratu" user duties --login nobody@example.org --duty cashier --database "$db"
expect_output "user create refuses a weak password" 1 "password" \
  sh -c "echo 'short' | '$pratu' user create --role admin --login admin.test@example.org --password-stdin --database '$db'"

printf 'server:\n  lisen: "127.0.0.1:1"\n' > "$work/bad.yaml"
expect_output "an unknown configuration key stops startup" 2 "server.lisen" "$pratu" --config "$work/bad.yaml" migrate
expect_output "a bad variable value stops startup" 2 "server.worker_threads" \
  env PRATU_SERVER_WORKER_THREADS=lots "$pratu" migrate --database "$db"

# serve: prints its address and the demo accounts, answers, and stops cleanly on SIGTERM.
"$pratu" serve --demo --database "sqlite:$work/serve.db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -n 1)
check "serve prints its address" test -n "$url"
check "serve prints the demo accounts" grep -q "applicant" "$work/serve.out"
check "serve prints a demo supervisor" grep -q "supervisor (bma)" "$work/serve.out"
check "serve answers /healthz" curl -sf "$url/healthz"
# The bank simulator reads the bill and its bank's secret from the server's database.
expect_output "serve connects the bank simulator" 0 "bank-simulator pay" cat "$work/serve.out"
expect_output "bank-simulator names a bill it cannot find" 1 "no bill 690000000019" \
  "$pratu" bank-simulator pay 690000000019 --url "$url" --database "sqlite:$work/serve.db"
expect_output "bank-simulator names a bank it does not know" 1 "no bank connection nobank" \
  "$pratu" bank-simulator pay 690000000019 --bank nobank --url "$url" --database "sqlite:$work/serve.db"
check "bank-simulator writes a day's statement file" \
  "$pratu" bank-simulator statement bma --date 2026-12-01 --out "$work/statement.txt" \
  --database "sqlite:$work/serve.db"
check "the statement file starts with its header record" sh -c "head -c 1 '$work/statement.txt' | grep -q H"
kill -TERM "$pid"
wait "$pid"
status=$?
check "serve exits 0 on SIGTERM" test "$status" -eq 0
check "logs are JSON lines" sh -c "head -n 1 '$work/serve.err' | grep -q '^{\"ts\"'"
# The server's malloc is mimalloc's (docs/adr/0019), as the running program finds it.
check "serve allocates with mimalloc" grep -q '"msg":"starting","allocator":"mimalloc 2\.' "$work/serve.err"

# SIGTERM while a client has sent only half a request head, waited out past the grace period.
PRATU_SERVER_SHUTDOWN_GRACE_SECONDS=1 "$pratu" serve --database "sqlite:$work/serve.db" \
  --listen 127.0.0.1:0 >"$work/half.out" 2>"$work/half.err" &
pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/half.out" 2>/dev/null && break
  sleep 0.1
done
port=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/half.out" | head -n 1 | sed 's/.*://')
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: pratu\r\nX-Half: ' >&3
sleep 0.3
kill -TERM "$pid"
sleep 1.5
wait "$pid"
status=$?
exec 3>&-
check "serve exits 0 on SIGTERM with a half-sent request past the grace period" test "$status" -eq 0

# Banks: a new one with its secret, a second secret while the bank changes over, a pinned client
# certificate (the SHA-256 openssl prints), switched off and on.
bankdb="sqlite:$work/banks.db"
"$pratu" migrate --database "$bankdb" >/dev/null 2>&1
expect_output "bank secret refuses a code that cannot be in a URL" 2 "a-z, 0-9" \
  "$pratu" bank secret "Bad Code" --name X --database "$bankdb"
expect_output "bank secret needs a name for a new bank" 2 "needs --name" \
  "$pratu" bank secret kbank --database "$bankdb"
expect_output "bank secret adds a bank and prints its secret once" 0 '^[0-9a-f]\{64\}$' \
  "$pratu" bank secret kbank --name "Kasikornbank" --database "$bankdb"
expect_output "bank list shows it with one secret" 0 "kbank.Kasikornbank.enabled.one secret" \
  "$pratu" bank list --database "$bankdb"
expect_output "bank secret again keeps the old one meanwhile" 0 '^[0-9a-f]\{64\}$' \
  "$pratu" bank secret kbank --database "$bankdb"
expect_output "bank list shows two secrets" 0 "two secrets (rotating)" "$pratu" bank list --database "$bankdb"
expect_output "bank end-rotation drops the old one" 0 "only its current secret" \
  "$pratu" bank end-rotation kbank --database "$bankdb"
expect_output "bank list shows one secret again" 0 "one secret" "$pratu" bank list --database "$bankdb"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/bank.key" \
  -out "$work/bank.pem" -days 2 -subj '/CN=Kasikornbank client' >/dev/null 2>&1
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$work/bank.pem" | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
expect_output "bank pin requires the certificate's SHA-256" 0 "sha256:$fingerprint" \
  "$pratu" bank pin kbank "$work/bank.pem" --database "$bankdb"
expect_output "bank list shows the pin" 0 "client certificate sha256:$fingerprint" \
  "$pratu" bank list --database "$bankdb"
expect_output "bank pin refuses a file with no certificate" 2 "no PEM certificate" \
  "$pratu" bank pin kbank "$work/bank.key" --database "$bankdb"
expect_output "bank pin names a bank it does not know" 1 "no bank scb" \
  "$pratu" bank pin scb "$work/bank.pem" --database "$bankdb"
# The bank renews its certificate: both are accepted until the rotation ends.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/renewed.key" \
  -out "$work/renewed.pem" -days 2 -subj '/CN=Kasikornbank client 2' >/dev/null 2>&1
renewed=$(openssl x509 -noout -fingerprint -sha256 -in "$work/renewed.pem" | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
expect_output "bank pin of a renewed certificate keeps the old one meanwhile" 0 "sha256:$renewed" \
  "$pratu" bank pin kbank "$work/renewed.pem" --database "$bankdb"
expect_output "bank list shows both pins" 0 \
  "client certificate sha256:$renewed.previously pinned sha256:$fingerprint (renewing)" \
  "$pratu" bank list --database "$bankdb"
expect_output "bank end-rotation drops the old certificate" 0 "current secret and certificate" \
  "$pratu" bank end-rotation kbank --database "$bankdb"
check "bank list shows one pin again" sh -c \
  "'$pratu' bank list --database '$bankdb' | grep -q 'sha256:$renewed\$'"
expect_output "bank unpin lifts it" 0 "no client certificate required" \
  "$pratu" bank unpin kbank --database "$bankdb"
expect_output "bank disable refuses its confirmations" 0 "disabled" "$pratu" bank disable kbank --database "$bankdb"
expect_output "bank list shows it disabled" 0 "kbank.Kasikornbank.disabled" "$pratu" bank list --database "$bankdb"
expect_output "bank enable takes them again" 0 "enabled" "$pratu" bank enable kbank --database "$bankdb"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
