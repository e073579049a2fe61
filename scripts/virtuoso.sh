#!/usr/bin/env bash
# Virtuoso Open Source for the external-store path (issue 5, point 5): install, start, stop, status.
#
#   bash scripts/virtuoso.sh start    install from Debian's packages if missing, start on loopback, provision
#   bash scripts/virtuoso.sh stop     stop it (and wait until the process is gone)
#   bash scripts/virtuoso.sh status   exit 0 and print the endpoints when it answers, exit 3 when it does not
#   bash scripts/virtuoso.sh env      print KG_VIRTUOSO_* lines (endpoints, credentials file) for a shell or CI
#
# The instance is ours alone: its own ini, database and log under $KG_VIRTUOSO_DIR
# (default /var/tmp/renkei-kg-virtuoso), listening on 127.0.0.1 only (HTTP 8890, SQL 1111 by default).
# Debian's own service is never started: its default ini listens on every interface.
#
# Security choice (docs/deploy.md "Virtuoso"): writes go through the Graph Store Protocol endpoint with
# HTTP digest authentication, /sparql-graph-crud-auth, as a dedicated SQL user (kg_push) holding
# SPARQL_UPDATE. The anonymous user SPARQL stays read-only, so /sparql and /sparql-graph-crud cannot
# change the data even for a process on this machine. The dba and kg_push passwords are random, made on
# first start, and kept in $KG_VIRTUOSO_DIR/credentials (mode 600).
set -euo pipefail

DIR=${KG_VIRTUOSO_DIR:-/var/tmp/renkei-kg-virtuoso}
HTTP_PORT=${KG_VIRTUOSO_HTTP_PORT:-8890}
SQL_PORT=${KG_VIRTUOSO_SQL_PORT:-1111}
HOST=127.0.0.1
PUSH_USER=kg_push
START_TIMEOUT=${KG_VIRTUOSO_START_TIMEOUT:-180}
BASE_URL="http://$HOST:$HTTP_PORT"

log() { echo "virtuoso.sh: $*" >&2; }
die() { log "$*"; exit 1; }

installed() { command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; }

install() {
  # Debian's virtuoso-opensource asks for a DBA password through debconf: preseed a random one so the
  # install never prompts. That password is for Debian's own instance, which we never start (below).
  local need=()
  installed || need+=(virtuoso-opensource)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  [ ${#need[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "installing ${need[*]} needs root (apt-get)"
  log "installing ${need[*]} from Debian's packages"
  local pw
  pw=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $pw" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $pw" | debconf-set-selections
  # Keep the package's postinst from starting Debian's instance (listening on all interfaces): a
  # policy-rc.d that forbids service starts, only for the length of this install and only if none exists.
  local policy=/usr/sbin/policy-rc.d ours=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && ours=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || {
    [ -n "$ours" ] && rm -f "$policy"; die "apt-get install ${need[*]} failed"; }
  [ -n "$ours" ] && rm -f "$policy"
  # And never at boot either.
  if [ -f /etc/default/virtuoso-opensource-7 ]; then
    if grep -q '^RUN=' /etc/default/virtuoso-opensource-7; then
      sed -i 's/^RUN=.*/RUN=no/' /etc/default/virtuoso-opensource-7
    else
      echo 'RUN=no' >>/etc/default/virtuoso-opensource-7
    fi
  fi
  installed || die "virtuoso-t or isql-vt still missing after apt-get install"
}

write_ini() {
  # Only what we need; every listener is bound to 127.0.0.1 (Virtuoso accepts host:port in ServerPort).
  # [SPARQL] ResultSetMaxRows is raised above kg's own result limit so query comparisons see every row.
  mkdir -p "$DIR/db"
  cat >"$DIR/virtuoso.ini" <<EOF
; written by scripts/virtuoso.sh — regenerated on every start; edit the script, not this file
[Database]
DatabaseFile       = $DIR/db/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/db/virtuoso.lck
TransactionFile    = $DIR/db/virtuoso.trx
xa_persistent_file = $DIR/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/db/virtuoso-temp.db
TransactionFile    = $DIR/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = $HOST:$SQL_PORT
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
AllowOSCalls         = 0
DirsAllowed          = ., $DIR
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = $HOST:$HTTP_PORT
ServerRoot           = $DIR/vsp
MaxClientConnections = 10
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8
EnabledGzipContent   = 1

[SPARQL]
ResultSetMaxRows           = 100000
; MaxQueryCostEstimationTime is left unset: OpenLink calls the estimator a debugging aid
; (virtuoso-opensource#535, #1395) and at 400 it refused page queries that run in 0.1 s.
MaxQueryExecutionTime      = 60
EOF
  mkdir -p "$DIR/vsp"
}

pid_of() {
  # Virtuoso writes VIRT_PID=<pid> into its lock file while it runs.
  local lck="$DIR/db/virtuoso.lck" pid
  [ -f "$lck" ] || return 1
  pid=$(sed -n 's/^VIRT_PID=\([0-9][0-9]*\).*/\1/p' "$lck" | head -n1)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() {
  curl -fsS -m 5 -o /dev/null -H 'Accept: application/sparql-results+json' \
    --data-urlencode 'query=ASK {}' "$BASE_URL/sparql" 2>/dev/null
}

dba_password() { sed -n 's/^dba://p' "$DIR/credentials" 2>/dev/null | head -n1; }

isql() {
  # isql-vt PORT USER PASSWORD < statements; fails on the first SQL error (VERBOSE off keeps it quiet).
  local pw=$1; shift
  isql-vt "$HOST:$SQL_PORT" dba "$pw" VERBOSE=OFF BANNER=OFF PROMPT=OFF ERRORS=STDOUT "$@"
}

provision() {
  # Once per database: replace the well-known dba/dba, create the push user, grant only what GSP writes need.
  [ -f "$DIR/provisioned" ] && return 0
  local dba push
  dba=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  push=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local out
  out=$(isql dba <<EOF 2>&1
DB.DBA.USER_CREATE ('$PUSH_USER', '$push');
GRANT SPARQL_SELECT TO "$PUSH_USER";
GRANT SPARQL_UPDATE TO "$PUSH_USER";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('$PUSH_USER', 3);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1);
DB.DBA.USER_CHANGE_PASSWORD ('dba', 'dba', '$dba');
checkpoint;
EOF
  ) || true
  # isql-vt exits 0 even when a statement fails, so read what it printed. A half-provisioned database
  # holds no data yet: throw it away, so that the next start begins from a fresh one.
  if grep -q 'Error' <<<"$out"; then
    local pid
    if pid=$(pid_of); then kill -TERM "$pid" 2>/dev/null || true; fi
    for _ in $(seq 1 20); do pid_of >/dev/null || break; sleep 1; done
    rm -rf "$DIR/db"
    die "provisioning failed (database removed; run start again): $out"
  fi
  umask 077
  printf 'dba:%s\n%s:%s\n' "$dba" "$PUSH_USER" "$push" >"$DIR/credentials"
  touch "$DIR/provisioned"
}

start() {
  install
  mkdir -p "$DIR"
  if pid=$(pid_of) && answers; then
    log "already running (pid $pid) at $BASE_URL"
    return 0
  fi
  if pid=$(pid_of); then
    log "pid $pid holds the database but does not answer; stopping it first"
    stop
  fi
  write_ini
  rm -f "$DIR/db/virtuoso.lck"
  log "starting Virtuoso ($DIR) on $HOST:$HTTP_PORT (HTTP) and $HOST:$SQL_PORT (SQL)"
  # +foreground in a session of its own, so the process is ours to stop by pid and leaves no daemon
  # helpers behind. exec, and every descriptor redirected, so that no shell lingers holding our caller's
  # stdout open (a caller reading our output to EOF would wait for the server's whole life).
  (cd "$DIR" && exec setsid virtuoso-t +foreground +configfile "$DIR/virtuoso.ini") \
      </dev/null >>"$DIR/stdout.log" 2>&1 &
  local waited=0
  until answers; do
    sleep 1
    waited=$((waited + 1))
    if [ "$waited" -ge "$START_TIMEOUT" ]; then
      tail -n 30 "$DIR/virtuoso.log" >&2 || true
      die "Virtuoso did not answer at $BASE_URL/sparql within ${START_TIMEOUT}s (log: $DIR/virtuoso.log)"
    fi
  done
  provision
  log "ready at $BASE_URL/sparql (GSP writes: $BASE_URL/sparql-graph-crud-auth, user $PUSH_USER)"
}

stop() {
  local pid
  if ! pid=$(pid_of); then
    log "not running"
    return 0
  fi
  local pw; pw=$(dba_password)
  # A clean shutdown checkpoints; fall back to signals if the SQL port does not take it.
  if [ -n "$pw" ]; then
    echo 'shutdown;' | isql "$pw" >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 15); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored TERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  kill -0 "$pid" 2>/dev/null && die "could not stop pid $pid"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(pid_of) && answers; then
    echo "running pid=$pid query=$BASE_URL/sparql gsp=$BASE_URL/sparql-graph-crud-auth dir=$DIR"
    return 0
  fi
  if pid=$(pid_of); then echo "not answering (pid $pid holds $DIR)"; else echo "stopped"; fi
  return 3
}

env_lines() {
  echo "KG_VIRTUOSO_QUERY_URL=$BASE_URL/sparql"
  echo "KG_VIRTUOSO_GSP_URL=$BASE_URL/sparql-graph-crud-auth"
  echo "KG_VIRTUOSO_CREDENTIALS=$DIR/credentials"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_lines ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
