# shellcheck shell=bash
# Shared helpers for the scripts that start the API themselves and load elections into it (scripts/acceptance,
# scripts/bench, scripts/bench-import, scripts/cluster): a throwaway database, the API built in Release, instances
# on loopback ports, HTTP with the admin key (curl), and the real 2015 and 2017 results files with their import.
# Source it after scripts/lib/postgres.sh and scripts/lib/processes.sh; it defines functions and sets no shell
# options of its own. The callers set WORK (a scratch directory they delete) before using it.

# elections_tools [COMMAND...]: makes sure curl and jq (and every other COMMAND given, whose Debian package has its
# name: wrk, nginx, python3) are there; as root the missing ones are installed with apt-get, without starting any
# service. Exits the calling script when they cannot be had, or when dotnet is not on PATH.
elections_tools() {
  local missing=() command
  for command in curl jq "$@"; do
    command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] || missing+=("$command")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'Installing %s with apt-get ...\n' "${missing[*]}" >&2
    install_packages_quietly "${missing[@]}" || exit 1
  fi
  command -v dotnet >/dev/null 2>&1 || { echo "the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
}

# elections_database: unless ConnectionStrings__Elections is set, starts a throwaway cluster in $WORK/postgres with
# an empty database "elections" and points ConnectionStrings__Elections at it (ELECTIONS_CLUSTER is then that
# cluster, for pg_stop; empty otherwise). Exports ConnectionStrings__Elections.
ELECTIONS_CLUSTER=""
elections_database() {
  if [ -z "${ConnectionStrings__Elections:-}" ]; then
    pg_require_binaries
    ELECTIONS_CLUSTER=$WORK/postgres
    pg_init "$ELECTIONS_CLUSTER" throwaway || exit 1
    pg_start "$ELECTIONS_CLUSTER" "$(free_port)" || exit 1
    pg_create_db "$PG_PORT" elections || exit 1
    ConnectionStrings__Elections=$(pg_conn_string "$PG_PORT" elections)
    echo "Throwaway PostgreSQL on 127.0.0.1:$PG_PORT" >&2
  fi
  export ConnectionStrings__Elections
}

# elections_build [migrate]: builds the API in Release and sets API_DLL; with "migrate", also brings the database's
# schema up to date (the instances then start with Database__MigrateOnStartup=false).
API_DLL=""
elections_build() {
  local project=src/ElectionResults.Api/ElectionResults.Api.csproj
  echo "Building the API (Release) ..." >&2
  dotnet build "$project" -c Release --nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  API_DLL=$(dotnet msbuild "$project" -getProperty:TargetPath -p:Configuration=Release)
  if [ "${1:-}" = migrate ]; then
    Logging__LogLevel__Default=Warning dotnet "$API_DLL" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
  fi
}

# api_start PORT LOG [NAME=VALUE...]: starts an instance on 127.0.0.1:PORT in the background (with the settings
# given, on top of the environment), appending its output to LOG; sets API_PID. It does not migrate.
API_PID=""
api_start() {
  local port=$1 log=$2
  shift 2
  env ASPNETCORE_URLS="http://127.0.0.1:$port" Database__MigrateOnStartup=false "$@" dotnet "$API_DLL" >>"$log" 2>&1 &
  API_PID=$!
}

# api_start_ready PORT LOG [NAME=VALUE...]: api_start, then waits until the instance is ready (exits the calling
# script, showing the end of LOG, when it is not); sets API_PID.
api_start_ready() {
  api_start "$@"
  wait_api_ready "$API_PID" "$1" "$2" 120 || exit 1
}

# api_http METHOD PATH [BODY_FILE CONTENT_TYPE] [ACCEPT]: a request with the admin key to API_URL (or to the URL
# PATH when it starts with http). Sets STATUS and HTTP_MS (the round trip); the body is in $WORK/body.
api_http() {
  local method=$1 path=$2 body=${3:-} type=${4:-} accept=${5:-application/json} url result
  local -a data=()
  case $path in http*) url=$path ;; *) url=$API_URL$path ;; esac
  [ -n "$body" ] && data=(-H "Content-Type: $type" --data-binary "@$body")
  result=$(curl -sS -o "$WORK/body" -w '%{http_code} %{time_total}' -X "$method" -H "X-Api-Key: $Auth__AdminKey" \
    -H "Accept: $accept" "${data[@]}" "$url") || result="000 0"
  STATUS=${result%% *}
  HTTP_MS=$(awk -v s="${result#* }" 'BEGIN { printf "%d", s * 1000 }')
}

# json FILTER: runs jq -r FILTER on the last body.
json() { jq -r "$1" "$WORK/body"; }

# api_put_election ID NAME POLLING_DAY [PREVIOUS_ID] [IS_TEST]: creates or updates a general election; exits the
# calling script when the API refuses.
api_put_election() {
  jq -n --arg name "$2" --arg day "$3" --arg previous "${4:-}" --argjson test "${5:-false}" \
    '{name: $name, pollingDay: $day, kind: "general", previousElectionId: (if $previous == "" then null else $previous end), isTest: $test}' \
    >"$WORK/election.json"
  api_http PUT "/v1/elections/$1" "$WORK/election.json" application/json
  case $STATUS in 200 | 201) ;; *) echo "PUT /v1/elections/$1 answered $STATUS: $(cat "$WORK/body")" >&2; exit 1 ;; esac
}

# api_import ELECTION FORMAT FILE: sends FILE to the import; sets STATUS and HTTP_MS and prints one line (election,
# format, file, status, time, the start of the answer).
api_import() {
  api_http POST "/v1/elections/$1/imports?format=$2&source=$(basename "$3")" "$3" text/csv
  printf '  %-8s %-19s %-38s %s %5d ms  %s\n' "$1" "$2" "$(basename "$3")" "$STATUS" "$HTTP_MS" "$(cut -c1-300 "$WORK/body")"
}

# real_elections_files DATA_DIR: sets the paths of the four published files (CANDIDATES_2015, COMMISSION_2015,
# CONSTITUENCIES_2017, CANDIDATES_2017); exits with status 2, naming the file, when one is missing.
real_elections_files() {
  CANDIDATES_2015=$1/hoc-ge2015-results-full.csv
  COMMISSION_2015=$1/EC-GE2015-constituency.csv
  CANDIDATES_2017=$1/HoC-GE2017-results-by-candidate.csv
  CONSTITUENCIES_2017=$1/HoC-GE2017-constituency-results.csv
  local file
  for file in "$CANDIDATES_2015" "$COMMISSION_2015" "$CANDIDATES_2017" "$CONSTITUENCIES_2017"; do
    [ -f "$file" ] || { echo "$(basename "$0"): $file is missing (pass the data directory as the first argument)" >&2; exit 2; }
  done
}

# real_elections_import [all|before-2017-candidates]: creates ge2015 and ge2017 and imports the 2015 candidates, the
# 2015 Electoral Commission file, the 2017 constituencies and (with "all", the default) the 2017 candidates, printing
# a line per import. Returns non-zero at the first import not answered with 200 (STATUS and the body tell why).
real_elections_import() {
  api_put_election ge2015 "UK general election 2015" 2015-05-07
  api_put_election ge2017 "UK general election 2017" 2017-06-08 ge2015
  api_import ge2015 hoc-candidates "$CANDIDATES_2015"
  [ "$STATUS" = 200 ] || return 1
  api_import ge2015 ec-constituencies "$COMMISSION_2015"
  [ "$STATUS" = 200 ] || return 1
  api_import ge2017 hoc-constituencies "$CONSTITUENCIES_2017"
  [ "$STATUS" = 200 ] || return 1
  [ "${1:-all}" = before-2017-candidates ] && return 0
  api_import ge2017 hoc-candidates "$CANDIDATES_2017"
  [ "$STATUS" = 200 ]
}
