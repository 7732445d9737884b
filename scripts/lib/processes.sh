# shellcheck shell=bash
# Shared helpers for the scripts that start API instances, nginx and load tools on loopback (scripts/bench,
# scripts/cluster): stop a process, install Debian packages without starting their services, start and stop a
# private nginx, wait for an API instance. Source it after scripts/lib/postgres.sh (it uses apt_install and
# http_status from there); it defines functions and sets no shell options of its own.

# stop_process PID: TERM, up to 10 s of grace, then KILL. Nothing when PID is empty or already gone.
stop_process() {
  local pid=${1:-}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# install_packages_quietly PKG...: apt-get install as root, with every service start refused for the length of
# the install (Debian's nginx package would otherwise start a service on port 80). Fails when not root.
install_packages_quietly() {
  local status=0 created=false
  [ "$(id -u)" -eq 0 ] || { printf 'missing %s; install them (Debian: sudo apt-get install -y %s) and run this again\n' "$*" "$*" >&2; return 1; }
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# Written by scripts/lib/processes.sh for the length of an apt-get install: start no services.\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created=true
  fi
  apt_install "$@" || status=$?
  if $created; then rm -f /usr/sbin/policy-rc.d; fi
  return "$status"
}

# nginx_binary: prints the path of nginx (Debian puts it in /usr/sbin, which may not be on PATH).
nginx_binary() {
  command -v nginx 2>/dev/null || echo /usr/sbin/nginx
}

# nginx_start CONF DIR: checks and starts a private nginx (daemon off in CONF) in the background, logging to
# DIR/error.log; sets NGINX_PID. Debian's own nginx service is never touched.
NGINX_PID=""
nginx_start() {
  local conf=$1 dir=$2 nginx
  nginx=$(nginx_binary)
  "$nginx" -t -q -c "$conf" -e "$dir/error.log" 2>"$dir/nginx-test.log" || { cat "$dir/nginx-test.log" >&2; return 1; }
  "$nginx" -c "$conf" -e "$dir/error.log" 2>"$dir/stderr.log" &
  NGINX_PID=$!
}

# nginx_stop PID: graceful (the master stops its workers), then insists.
nginx_stop() {
  local pid=${1:-}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  stop_process "$pid"
}

# wait_api_ready PID PORT LOG [SECONDS]: waits until GET /health/ready on 127.0.0.1:PORT answers 200. Fails (after
# printing the end of LOG) when the process exits or the time (default 60 s) runs out.
wait_api_ready() {
  local pid=$1 port=$2 log=$3 seconds=${4:-60}
  for _ in $(seq 1 $((seconds * 5))); do
    [ "$(http_status "$port" /health/ready)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { printf 'the API on port %s exited; the end of its log:\n' "$port" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.2
  done
  printf 'the API on port %s was not ready after %s s\n' "$port" "$seconds" >&2
  return 1
}
