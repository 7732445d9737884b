# shellcheck shell=bash
# Shared helpers for scripts/run, scripts/test, scripts/check-publish and .ci/run: find or install the
# PostgreSQL server binaries, and create, start and stop a private cluster that listens on 127.0.0.1 only.
# Source this file; it defines functions and sets no shell options of its own.
#
# A cluster lives in one directory ROOT:
#   ROOT/data        the data directory (PGDATA)
#   ROOT/server.log  the server log (pg_ctl -l)
# Its settings live in ROOT/data/postgresql.conf (written once by pg_init) and ROOT/data/port.conf (written
# by every pg_start), so a plain `pg_ctl -D ROOT/data -l ROOT/server.log start` (which is what the
# integration tests' outage test runs through ELECTIONS_TEST_PGCTL) brings it back exactly as it was.
#
#   ROOT/credentials the two roles' passwords (mode 600, outside the data directory; see pg_load_credentials)
#
# Authentication is as in production: scram-sha-256 passwords over TCP, no trust. Two roles:
#   postgres   (PG_SUPERUSER) the operator: a superuser that creates roles and databases (pg_create_db, the tests'
#              fixture). Nothing the API runs uses it.
#   elections  (PG_APP_ROLE)  what the API runs as: LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE. It owns the databases
#              that pg_create_db makes, and so their public schema and every table the migrations create.
# pg_conn_string prints the connection string for the API (the elections role, with its password);
# pg_admin_conn_string the operator's.

PG_SUPERUSER=postgres
PG_APP_ROLE=elections
PG_OS_USER=postgres   # PostgreSQL refuses to run as root, so root runs it as this user
PG_BINDIR=""
PG_PORT=""
PG_SUPERUSER_PASSWORD=""
PG_APP_PASSWORD=""

pg_say() { printf '%s\n' "$*" >&2; }

_pg_is_root() { [ "$(id -u)" -eq 0 ]; }

# Sets PG_BINDIR to a directory holding initdb and pg_ctl, or returns 1.
# $1 (optional): a major version the caller needs (an existing cluster's PG_VERSION).
# shellcheck disable=SC2120 # scripts/run passes the version
pg_find_bindir() {
  local want=${1:-} dir candidates=()
  if [ -n "$want" ]; then
    candidates+=("/usr/lib/postgresql/$want/bin")
  else
    # Debian keeps one directory per major version; client-only packages put psql there without initdb,
    # so take the newest one that has the server tools.
    while IFS= read -r dir; do candidates+=("$dir"); done < <(
      find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -rV)
    if command -v pg_config >/dev/null 2>&1; then candidates+=("$(pg_config --bindir 2>/dev/null)"); fi
    if command -v initdb >/dev/null 2>&1; then candidates+=("$(dirname "$(command -v initdb)")"); fi
  fi
  for dir in "${candidates[@]}"; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ]; then
      PG_BINDIR=$dir
      return 0
    fi
  done
  return 1
}

# apt-get install, quietly: the output is shown only when it fails. Runs `apt-get update` first, once per
# shell, because a fresh machine's package lists may be empty. Needs root.
_pg_apt_updated=false
apt_install() {
  local log status=0
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! $_pg_apt_updated; then
    apt-get update -q >"$log" 2>&1 && _pg_apt_updated=true || status=$?
  fi
  if [ "$status" -eq 0 ]; then
    apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 || status=$?
  fi
  [ "$status" -eq 0 ] || { pg_say "apt-get install $* failed:"; tail -n 30 "$log" >&2; }
  rm -f "$log"
  return "$status"
}

# Finds the server binaries, installing Debian's postgresql package when they are missing and we are root.
# Exits the calling script when they cannot be had.
pg_require_binaries() {
  pg_find_bindir && return 0
  if ! _pg_is_root; then
    pg_say "PostgreSQL server binaries (initdb, pg_ctl) were not found."
    pg_say "Install them and run this again, e.g. on Debian/Ubuntu:  sudo apt-get install -y postgresql"
    exit 1
  fi
  pg_say "PostgreSQL server binaries not found; installing Debian's postgresql package ..."
  # Install postgresql-common first and switch off its default cluster (as the official postgres image
  # does): otherwise the package would create and start a 'main' cluster on port 5432 that nothing here uses.
  apt_install postgresql-common || exit 1
  if [ -f /etc/postgresql-common/createcluster.conf ]; then
    sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  apt_install postgresql || exit 1
  pg_find_bindir || { pg_say "postgresql was installed but initdb/pg_ctl are still not found."; exit 1; }
}

# Runs a server-side command as the cluster's owner: ourselves, or the postgres user when we are root.
# It runs from / because the caller's directory may be closed to that user.
pg_as_owner() {
  if _pg_is_root; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# Prints the command prefix that runs pg_ctl for the cluster in $1 as its owner. The integration tests get it
# as ELECTIONS_TEST_PGCTL and append `stop -m fast` / `start`; -D and -l are accepted (and -l ignored) by
# every pg_ctl action. Paths must not contain spaces: the prefix is split on whitespace.
pg_ctl_prefix() {
  local root=$1 prefix=""
  if _pg_is_root; then prefix="runuser -u $PG_OS_USER -- env -C / "; fi
  printf '%s%s/pg_ctl -D %s/data -l %s/server.log\n' "$prefix" "$PG_BINDIR" "$root" "$root"
}

# As root: make sure the postgres user exists and can reach directory $1 (every parent needs the x bit for
# it: a repository under /root, say, is closed to other users). Grants traversal only, not listing.
_pg_make_reachable() {
  local dir=$1 path="" part parts
  _pg_is_root || return 0
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    local group=(--user-group)
    getent group "$PG_OS_USER" >/dev/null && group=(-g "$PG_OS_USER")
    useradd --system "${group[@]}" --no-create-home --home-dir /var/lib/postgresql \
      --shell /usr/sbin/nologin "$PG_OS_USER" || return 1
  fi
  runuser -u "$PG_OS_USER" -- test -x "$dir" 2>/dev/null && return 0
  IFS=/ read -ra parts <<<"${dir#/}"
  for part in "${parts[@]}"; do
    path="$path/$part"
    if ! runuser -u "$PG_OS_USER" -- test -x "$path" 2>/dev/null; then
      chmod o+x "$path" || return 1
      pg_say "note: chmod o+x $path so that the $PG_OS_USER user can reach $dir"
    fi
  done
}

# Creates a new cluster in directory $1 (which must not hold one yet).
# $2 = "throwaway" trades durability for speed (fsync off): only for clusters deleted after use.
# Passwords are random hex (nothing to escape in a connection string or in SQL); they are written to
# ROOT/credentials and set as PG_SUPERUSER_PASSWORD and PG_APP_PASSWORD.
pg_init() {
  local root=$1 mode=${2:-}
  local -a initdb_args=(-D "$root/data" -U "$PG_SUPERUSER" --auth-local=scram-sha-256 --auth-host=scram-sha-256
                        --encoding=UTF8 --no-locale)
  mkdir -p "$root" || return 1
  root=$(cd "$root" && pwd) || return 1
  _pg_make_reachable "$(dirname "$root")" || return 1
  if _pg_is_root; then chown "$PG_OS_USER:" "$root" || return 1; fi
  chmod 700 "$root" || return 1
  [ "$mode" = throwaway ] && initdb_args+=(--no-sync)
  PG_SUPERUSER_PASSWORD=$(random_hex) && PG_APP_PASSWORD=$(random_hex) || return 1
  (umask 077 && printf 'PG_SUPERUSER_PASSWORD=%s\nPG_APP_PASSWORD=%s\n' "$PG_SUPERUSER_PASSWORD" "$PG_APP_PASSWORD" \
    >"$root/credentials") || return 1
  # initdb reads the superuser's password from a file, which the server's user must be able to read.
  (umask 077 && printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$root/pwfile") || return 1
  if _pg_is_root; then chown "$PG_OS_USER:" "$root/pwfile" || return 1; fi
  initdb_args+=(--pwfile="$root/pwfile")
  if ! pg_as_owner "$PG_BINDIR/initdb" "${initdb_args[@]}" >"$root/initdb.log" 2>&1; then
    rm -f "$root/pwfile"
    pg_say "initdb failed:"; cat "$root/initdb.log" >&2
    return 1
  fi
  rm -f "$root/pwfile"
  {
    echo
    echo "# Added by scripts/lib/postgres.sh: TCP on loopback only, no Unix socket (its path could be too long"
    echo "# or unreachable for the server's user); the port is in port.conf, rewritten by every start."
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "password_encryption = 'scram-sha-256'"
    echo "include_if_exists = 'port.conf'"
    if [ "$mode" = throwaway ]; then
      echo "# Throwaway test cluster: durability is worthless here, speed is not."
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
      echo "# The tests open one database (and so one connection pool) per test class."
      echo "max_connections = 300"
    fi
  } >>"$root/data/postgresql.conf"
  # Password authentication for every connection, and nothing else: no trust, no peer (there is no socket).
  {
    echo "# Written by scripts/lib/postgres.sh: scram-sha-256 passwords over TCP on loopback, nothing else."
    echo "host    all             all             127.0.0.1/32            scram-sha-256"
    echo "host    replication     all             127.0.0.1/32            scram-sha-256"
  } >"$root/data/pg_hba.conf"
}

# Prints 32 random hex digits (a password or key with nothing to escape anywhere).
random_hex() {
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n'
}

# Sets PG_SUPERUSER_PASSWORD and PG_APP_PASSWORD from the cluster in $1 (pg_start does it too). Fails, saying
# why, for a cluster made before the scripts used passwords: such a cluster trusts every local connection.
pg_load_credentials() {
  local root=$1 name value
  if [ ! -f "$root/credentials" ]; then
    pg_say "$root has no credentials file: it was made by an older version of these scripts, with trust"
    pg_say "authentication. Stop it and delete $root to start afresh with password authentication."
    return 1
  fi
  while IFS='=' read -r name value; do
    case "$name" in
      PG_SUPERUSER_PASSWORD) PG_SUPERUSER_PASSWORD=$value ;;
      PG_APP_PASSWORD) PG_APP_PASSWORD=$value ;;
    esac
  done <"$root/credentials"
  [ -n "$PG_SUPERUSER_PASSWORD" ] && [ -n "$PG_APP_PASSWORD" ] || { pg_say "$root/credentials is incomplete"; return 1; }
}

# Succeeds when something listens on TCP port $1 (any local address).
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    # No ss (iproute2): try to connect; a refused connection means the port is free.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Prints a free TCP port. Chosen at random below the kernel's ephemeral range (32768+), so that outgoing
# connections do not take it between now and the bind; callers still retry if they lose the race.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((15000 + RANDOM % 15000))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  pg_say "no free TCP port found"
  return 1
}

# Succeeds when the cluster in $1 is running.
pg_is_running() {
  [ -f "$1/data/postmaster.pid" ] && pg_as_owner "$PG_BINDIR/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# Prints the port of the running cluster in $1 (line 4 of postmaster.pid).
pg_running_port() {
  sed -n 4p "$1/data/postmaster.pid"
}

# Starts the cluster in $1 on port $2 and waits until it accepts connections; sets PG_PORT to the port
# actually used (another free one if $2 was taken by the time the server tried to bind it).
# shellcheck disable=SC2034 # PG_PORT is read by the scripts that source this file
pg_start() {
  local root=$1 port=$2 attempt log_lines new_log
  pg_load_credentials "$root" || return 1
  for attempt in 1 2 3 4 5; do
    echo "port = $port" >"$root/data/port.conf" || return 1
    if _pg_is_root; then chown "$PG_OS_USER:" "$root/data/port.conf"; fi
    log_lines=0
    [ -f "$root/server.log" ] && log_lines=$(wc -l <"$root/server.log")
    if pg_as_owner "$PG_BINDIR/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start >/dev/null; then
      PG_PORT=$port
      return 0
    fi
    # Only a lost race for the port is worth another try; anything else is reported below.
    new_log=$(tail -n "+$((log_lines + 1))" "$root/server.log" 2>/dev/null)
    grep -q 'could not bind\|Address already in use' <<<"$new_log" || break
    pg_say "port $port was taken; trying another (attempt $attempt)"
    port=$(free_port) || return 1
  done
  pg_say "PostgreSQL did not start; the end of $root/server.log:"
  tail -n 20 "$root/server.log" >&2 2>/dev/null
  return 1
}

# Stops the cluster in $1 if it runs: a fast shutdown (rolls back open transactions, then exits cleanly),
# falling back to an immediate one and, as a last resort, killing that cluster's own postmaster.
pg_stop() {
  local root=$1 pid
  [ -f "$root/data/postmaster.pid" ] || return 0
  pid=$(head -n 1 "$root/data/postmaster.pid" 2>/dev/null)
  if ! pg_as_owner "$PG_BINDIR/pg_ctl" -D "$root/data" -m fast -w -t 60 stop >/dev/null 2>&1 &&
     ! pg_as_owner "$PG_BINDIR/pg_ctl" -D "$root/data" -m immediate -w -t 30 stop >/dev/null 2>&1 &&
     [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    pg_say "PostgreSQL (pid $pid) did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  # pg_ctl returns once the pid file is gone, a moment before the postmaster has exited: wait for that,
  # so that a caller deleting the directory or checking for leftovers sees the server gone.
  if [ -n "$pid" ]; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  return 0
}

# The connection string the API runs with: database $2 of the local cluster on port $1, as the ordinary
# role PG_APP_ROLE with its password (after pg_init, pg_start or pg_load_credentials).
pg_conn_string() {
  printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s\n' "$1" "$PG_APP_ROLE" "$PG_APP_PASSWORD" "$2"
}

# The operator's connection string (the superuser PG_SUPERUSER): database $2 on port $1.
pg_admin_conn_string() {
  printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s\n' "$1" "$PG_SUPERUSER" "$PG_SUPERUSER_PASSWORD" "$2"
}

# Runs one SQL statement as the superuser against database $2 on port $1; prints unaligned tuples.
pg_psql() {
  PGPASSWORD=$PG_SUPERUSER_PASSWORD "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" \
    -U "$PG_SUPERUSER" -d "$2" -tAc "$3"
}

# Creates (or updates the password of) the API's role PG_APP_ROLE on port $1: it may log in, and nothing more.
pg_create_app_role() {
  local port=$1
  if [ "$(pg_psql "$port" postgres "SELECT 1 FROM pg_roles WHERE rolname = '$PG_APP_ROLE'")" = 1 ]; then
    pg_psql "$port" postgres "ALTER ROLE \"$PG_APP_ROLE\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$PG_APP_PASSWORD'"
  else
    pg_psql "$port" postgres "CREATE ROLE \"$PG_APP_ROLE\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$PG_APP_PASSWORD'"
  fi
}

# Creates database $2 on port $1 unless it exists, owned by the API's role (created too when missing), which
# thereby owns its public schema and may create the tables; other roles may not connect to it.
pg_create_db() {
  local port=$1 name=$2
  pg_create_app_role "$port" || return 1
  [ "$(pg_psql "$port" postgres "SELECT 1 FROM pg_database WHERE datname = '$name'")" = 1 ] && return 0
  pg_psql "$port" postgres "CREATE DATABASE \"$name\" OWNER \"$PG_APP_ROLE\"" &&
    pg_psql "$port" postgres "REVOKE ALL ON DATABASE \"$name\" FROM PUBLIC"
}

# Prints the HTTP status code that GET http://127.0.0.1:$1$2 answers with, or nothing when nothing answers.
# Plain bash (/dev/tcp) so that no HTTP client needs installing.
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    IFS=' ' read -r -t 10 _ code _ <&3 || true
    echo "${code:-}"
  ) 2>/dev/null
}

# Succeeds when a Docker engine answers (then the integration tests can use Testcontainers themselves).
docker_answers() {
  command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}
