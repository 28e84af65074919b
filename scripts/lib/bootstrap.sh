# Sourced by ./bootstrap: builds the tools, hands the flags to lain-bootstrap (checks, plan, steps;
# each step skipped when already done, so a second run keeps every process and all data) and
# prints where things are.

lain_logs=/var/log/lain
lain_store="embedded:/var/lib/lain/store.db"
console_port=9000
registry_port=5000

step() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

has_systemd() { [ -d /run/systemd/system ]; }

# run_plan SINGLE_NODE ARGS...: lain-bootstrap checks the flags and this machine (nothing changes
# when a check fails), then carries the plan out step by step; a second run skips what is done.
run_plan() {
  local single=$1
  shift
  [ -f "$root/mvnw" ] || die "run ./bootstrap from a clone of the LAIN repository"
  local extra=(--execute --laind "$root/bin/laind")
  [ "$single" = 1 ] && extra+=(--single-node)
  "$root/scripts/lib/launch" dev.lain.bootstrap.BootstrapMain "${extra[@]}" "$@"
}

build_tools() {
  . "$root/scripts/lib/java.sh"
  lain_select_java || die "install a JDK >= 21 (e.g. Temurin) or set LAIN_JAVA_HOME"
  local jar="$root/lain-dist/target/lain.jar"
  if [ -f "$jar" ] && [ -z "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    step "tools: up to date ($jar)"
    return
  fi
  step "building the tools (scripts/build; a few minutes the first time)"
  "$root/scripts/build"
}

summary() {
  cat <<SUMMARY

LAIN single-node cluster is up.
  store        $lain_store
  console      http://127.0.0.1:$console_port/api/v1/  (lain CLI phase: local)
  registry     127.0.0.1:$registry_port (also registry.$domain through the webrouter)
  webrouter    http :$http_port, https :$https_port (internal); external hosts also on :8080/:8443
  node         $(hostname) ($node_ip)
  logs         $( has_systemd && echo "journalctl -u 'lain-*'" || echo "$lain_logs/" )

Deploy the example app:
  cd $root/examples/hello && $root/bin/lain reposit local && $root/bin/lain build --push local && $root/bin/lain deploy local
  curl -H 'Host: hello.$domain' http://127.0.0.1:$http_port/
  $root/bin/lain ps local; $root/bin/lain logs local web
SUMMARY
}

lain_bootstrap() {
  local single=$1 dry_run=0 arg
  shift
  for arg in "$@"; do [ "$arg" = --dry-run ] && dry_run=1; done
  # The checks and steps run in Java: the tools come first (building them changes nothing on the
  # machine).
  build_tools
  run_plan "$single" "$@"
  if [ "$single" != 0 ] && [ "$dry_run" = 0 ]; then
    summary
  fi
}
