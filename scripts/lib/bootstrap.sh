# Sourced by ./bootstrap: builds the tools and hands the flags to lain-bootstrap (checks, plan,
# steps, each skipped when already done so a second run keeps every process and all data, and a
# summary of where things are).

step() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

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
  local jar="$root/tools/lain-dist/target/lain.jar"
  # -xdev and the pruned build directories keep find out of what tests mount below the checkout.
  if [ -f "$jar" ] && [ -z "$(find "$root" -xdev \( -name target -o -name .git \) -prune -o -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    step "tools: up to date ($jar)"
    return
  fi
  step "building the tools (scripts/build; a few minutes the first time)"
  "$root/scripts/build"
}

lain_bootstrap() {
  local single=$1
  shift
  # The checks, the steps and the summary come from lain-bootstrap: the tools come first (building
  # them changes nothing on the machine).
  build_tools
  run_plan "$single" "$@"
}
