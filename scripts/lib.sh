# Shared helpers for the scripts. Source it; do not run it.
#
# Every script installs what it needs from the package registries (Debian,
# crates.io, Maven Central, npm) when it is missing, so a fresh machine needs
# no manual step.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Quiet cargo progress in CI logs, keep errors.
export CARGO_TERM_PROGRESS_WHEN=never

step() { printf '\n==> %s\n' "$*"; }

apt_updated=0
# apt_install PACKAGE...: installs Debian packages (we run as root in CI).
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$apt_updated" -eq 0 ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# need CMD DEBIAN_PACKAGE: makes sure CMD exists, installing the package if not.
need() {
  command -v "$1" >/dev/null 2>&1 || { step "installing $2"; apt_install "$2"; }
}

need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is missing: this project needs Rust 1.85+ (the machine image provides rustup)." >&2
    exit 1
  fi
}

need_jvm() {
  need java openjdk-17-jdk-headless
  need mvn maven
}

# The host's shared-library file name for the core.
host_lib() {
  case "$(uname -s)" in
    Darwin) echo "libpalmgov.dylib" ;;
    *) echo "libpalmgov.so" ;;
  esac
}

# The local OpenID provider (npm oidc-provider) the identity tests, the demo
# and `palmgov provider` run, installed from the committed lockfile.
need_test_provider() {
  need node nodejs
  need npm npm
  local dir=tests/oidc
  if [ ! -d "$dir/node_modules/oidc-provider" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "installing the test OpenID provider (npm ci from tests/oidc/package-lock.json)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}

# The reference SD-JWT implementation (PyPI sd-jwt, pinned with its
# dependencies in tests/sdjwt/requirements.txt) in a venv of its own, for the
# interop tests; exports PALMGOV_SDJWT_PYTHON, which they look for.
need_sdjwt_reference() {
  need python3 python3
  local venv=target/sdjwt-venv
  if [ ! -x "$venv/bin/python" ] ||
    [ tests/sdjwt/requirements.txt -nt "$venv/.installed" ]; then
    step "installing the reference SD-JWT implementation (pip, tests/sdjwt/requirements.txt)"
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/sdjwt/requirements.txt
    touch "$venv/.installed"
  fi
  PALMGOV_SDJWT_PYTHON="$PWD/$venv/bin/python"
  export PALMGOV_SDJWT_PYTHON
}
