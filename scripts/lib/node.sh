# Node and npm for the scripts that run JavaScript tooling (scripts/browser-test, scripts/contract-check).
# Source it after scripts/lib/postgres.sh (it uses apt_install).

# node_require: installs nodejs and npm with apt-get when missing (as root), else says how. Returns non-zero on failure.
node_require() {
  local missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root." >&2
    return 1
  fi
  echo "Installing ${missing[*]} ..."
  apt_install "${missing[@]}"
}

# npm_ci_once DIR: `npm ci` in DIR, once per package-lock.json (a stamp in node_modules remembers its hash).
npm_ci_once() {
  local dir=$1 stamp wanted
  stamp=$dir/node_modules/.package-lock.sha256
  wanted=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "Installing the npm packages of ${dir#"$PWD"/} (npm ci) ..."
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    echo "$wanted" >"$stamp"
  fi
}
