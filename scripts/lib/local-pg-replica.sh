#!/usr/bin/env bash
# A local streaming replica (hot standby) of the machine's PostgreSQL on 127.0.0.1:5432, for
# running the tests with DATABASE_READ_URL (ADR 0025):
#
#   DATABASE_READ_URL=$(scripts/lib/local-pg-replica.sh) pnpm test:e2e
#
# Prints the replica's URL. Idempotent: a replica that is up and streaming is reused (and its
# replay resumed, should a test have left it paused); one that is down is started; one that cannot
# stream (its WAL is gone from the primary) is made again with pg_basebackup. `stop` stops it.
#
# The primary must accept replication connections from 127.0.0.1: without a pg_hba.conf line for
# them this adds `host replication postgres 127.0.0.1/32 trust` and reloads the primary (no
# restart). If its wal_level is `minimal` it sets `replica` and restarts the primary, saying so.
# No replication slot is made, so a replica left stopped never makes the primary keep WAL.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/15/pulse-replica}
REPLICA_LOG=${REPLICA_LOG:-$REPLICA_DIR/replica.log}
REPLICA_URL="postgresql://postgres@127.0.0.1:$REPLICA_PORT/postgres"

say() { echo "local-pg-replica: $*" >&2; }

# initdb, pg_basebackup and postgres refuse to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary_sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -XAtqc "$1"; }
replica_sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -XAtqc "$1"; }

streaming() {
  [ "$(replica_sql "SELECT pg_is_in_recovery() AND EXISTS (
      SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null)" = t ]
}

until_streaming() {
  for _ in $(seq 1 60); do
    streaming && return 0
    sleep 0.5
  done
  return 1
}

replica_running() { as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1; }

stop_replica() {
  if replica_running; then as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >&2; fi
}

start_replica() {
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_LOG" -w -t 60 start >&2
}

prepare_primary() {
  if [ "$(primary_sql "SHOW wal_level")" = minimal ]; then
    say "the primary's wal_level is minimal: setting it to replica and restarting the primary"
    primary_sql "ALTER SYSTEM SET wal_level = replica"
    local data
    data=$(primary_sql "SHOW data_directory")
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w restart >&2
  fi
  if [ "$(primary_sql "SELECT count(*) FROM pg_hba_file_rules
        WHERE 'replication' = ANY (database) AND error IS NULL")" = 0 ]; then
    local hba
    hba=$(primary_sql "SHOW hba_file")
    say "allowing replication connections from 127.0.0.1 in $hba (and reloading the primary)"
    printf '\n# Local streaming replica for tests (scripts/lib/local-pg-replica.sh)\nhost replication postgres 127.0.0.1/32 trust\n' >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
  fi
}

# A hot standby needs at least the primary's values of these.
standby_settings() {
  primary_sql "SELECT name || ' = ' || setting FROM pg_settings WHERE name IN ('max_connections',
    'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions',
    'max_locks_per_transaction')"
}

make_replica() {
  say "making a replica of 127.0.0.1:$PRIMARY_PORT in $REPLICA_DIR with pg_basebackup"
  stop_replica
  rm -rf "$REPLICA_DIR"
  install -d -o postgres -g postgres -m 700 "$REPLICA_DIR"
  # -R writes primary_conninfo and standby.signal; -X stream copies the WAL the backup needs.
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$REPLICA_DIR" -X stream -R --checkpoint=fast
  # Debian keeps the primary's configuration outside its data directory: the replica gets its own.
  as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Tells the primary which rows the replica's queries still read, so vacuum's cleanup never
# cancels them ("conflict with recovery").
hot_standby_feedback = on
shared_buffers = 64MB
$(standby_settings)
EOF
  as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
}

if [ "${1:-start}" = stop ]; then
  stop_replica
  exit 0
fi

prepare_primary
if ! streaming; then
  if [ -f "$REPLICA_DIR/standby.signal" ]; then
    if ! replica_running; then
      say "starting the replica in $REPLICA_DIR"
      start_replica || true
    fi
    until_streaming || make_replica
  else
    make_replica
  fi
  if ! streaming; then
    start_replica
    until_streaming || { say "the replica does not stream; see $REPLICA_LOG"; exit 1; }
  fi
fi
# A test that paused replay and died before resuming it would leave the replica behind for good.
replica_sql "SELECT pg_wal_replay_resume() WHERE pg_is_wal_replay_paused()" >/dev/null
echo "$REPLICA_URL"
