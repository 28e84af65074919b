# Sourced by ./bootstrap: the steps that make this machine a single-node cluster. Each step checks
# first and changes only what is missing, so a second run keeps every process and all data.

lain_state=/var/lib/lain
lain_logs=/var/log/lain
lain_run=/run/lain
lain_etc=/etc/lain
lain_store="embedded:$lain_state/store.db"
console_port=9000
registry_port=5000

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

has_systemd() { [ -d /run/systemd/system ]; }

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND until it succeeds.
wait_for() {
  local seconds=$1 what=$2 i
  shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what did not come up within ${seconds}s (logs: $lain_logs)"
}

# preflight SINGLE_NODE ARGS...: the flags and this machine, checked by lain-bootstrap before
# anything changes. Returns when the single-node install may go on; exits otherwise.
preflight() {
  local single=$1 status=0 output
  shift
  [ -f "$root/mvnw" ] || die "run ./bootstrap from a clone of the LAIN repository"
  local extra=(--laind "$root/bin/laind")
  [ "$single" = 1 ] && extra+=(--single-node)
  output=$("$root/scripts/lib/launch" dev.lain.bootstrap.BootstrapMain "${extra[@]}" "$@") || status=$?
  [ -z "$output" ] || printf '%s\n' "$output" | sed '${/^single-node$/d}'
  case "$status" in
    0) [ "$(printf '%s\n' "$output" | tail -n1)" = single-node ] || exit 0 ;;  # --dry-run: done
    *) exit "$status" ;;
  esac
}

install_packages() {
  local wanted=(docker.io nginx docker-registry busybox-static git curl ca-certificates) missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step "packages: all present (${wanted[*]})"
    return
  fi
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
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

# supervise NAME COMMAND...: keeps COMMAND running as lain-NAME, under systemd when it runs the
# machine, else as a background process with a pid file (kept if it is still alive).
supervise() {
  local name=$1
  shift
  mkdir -p "$lain_logs" "$lain_run"
  if has_systemd; then
    local unit=/etc/systemd/system/lain-$name.service
    local content
    content=$(printf '[Unit]\nDescription=LAIN %s\nAfter=network-online.target docker.service\n\n[Service]\nExecStart=%s\nRestart=always\nRestartSec=2\nLimitNOFILE=65536\n\n[Install]\nWantedBy=multi-user.target\n' "$name" "$*")
    if [ ! -f "$unit" ] || [ "$(cat "$unit")" != "$content" ]; then
      printf '%s\n' "$content" >"$unit"
      systemctl daemon-reload
      systemctl enable -q "lain-$name"
      systemctl restart "lain-$name"
      note "lain-$name: started by systemd ($unit)"
    else
      systemctl is-active -q "lain-$name" || systemctl start "lain-$name"
      note "lain-$name: running (systemd)"
    fi
    return
  fi
  local pidfile=$lain_run/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    note "lain-$name: running (pid $(cat "$pidfile"))"
    return
  fi
  setsid nohup "$@" >>"$lain_logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  note "lain-$name: started (pid $!, log $lain_logs/$name.log; no systemd here)"
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    step "docker: running"
    return
  fi
  step "starting dockerd"
  if has_systemd; then
    systemctl enable -q --now docker
  else
    supervise dockerd dockerd
  fi
  wait_for 60 dockerd docker info
}

start_registry() {
  step "cluster registry on :$registry_port (Debian's docker-registry, data in $lain_state/registry)"
  mkdir -p "$lain_etc" "$lain_state/registry"
  cat >"$lain_etc/registry.yml.new" <<YAML
version: 0.1
log:
  fields:
    service: lain-registry
storage:
  filesystem:
    rootdirectory: $lain_state/registry
  delete:
    enabled: true
http:
  addr: :$registry_port
YAML
  mv "$lain_etc/registry.yml.new" "$lain_etc/registry.yml"
  # Debian's own registry service uses the same port with password auth: ours replaces it.
  if has_systemd && systemctl is-active -q docker-registry 2>/dev/null; then
    note "stopping Debian's docker-registry service (the cluster runs its own on :$registry_port)"
    systemctl disable -q --now docker-registry
  fi
  supervise registry /usr/bin/docker-registry serve "$lain_etc/registry.yml"
  wait_for 30 "the registry" curl -fsS "http://127.0.0.1:$registry_port/v2/"
}

stop_default_nginx() {
  # The webrouter runs its own nginx on 80/443/8080/8443; Debian's default site would hold port 80.
  if has_systemd && systemctl is-active -q nginx 2>/dev/null; then
    step "stopping Debian's default nginx service (the webrouter runs its own nginx)"
    systemctl disable -q --now nginx
  elif [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    step "stopping Debian's default nginx (the webrouter runs its own nginx)"
    nginx -s quit || true
  fi
}

base_image() {
  if docker image inspect lain/busybox:latest >/dev/null 2>&1; then
    step "base image lain/busybox: present"
    return
  fi
  step "building the base image lain/busybox from Debian's busybox-static (no Docker Hub needed)"
  local ctx
  ctx=$(mktemp -d)
  cp /bin/busybox "$ctx/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n' >"$ctx/Dockerfile"
  local output
  if ! output=$(docker build -q -t lain/busybox:latest "$ctx" 2>&1); then
    rm -rf "$ctx"
    die "building lain/busybox failed: $output"
  fi
  rm -rf "$ctx"
}

lainctl() { "$root/bin/lainctl" --store "$lain_store" "$@"; }

cluster_config() {
  step "cluster configuration ($lain_store)"
  mkdir -p "$lain_state"
  local current
  current=$(lainctl config get domain 2>/dev/null || true)
  if [ "$current" != "$domain" ]; then
    lainctl config set domain "$domain" >/dev/null
  fi
  note "domain: $domain"
}

start_laind() {
  step "laind: master + agent (node IP $node_ip), console on 127.0.0.1:$console_port, webrouter"
  supervise node "$root/bin/laind" all --store "$lain_store" --node-ip "$node_ip" \
    --console "0.0.0.0:$console_port" --registry "127.0.0.1:$registry_port"
  supervise router "$root/bin/laind" router --store "$lain_store" \
    --internal-http "0.0.0.0:$http_port" --internal-https "0.0.0.0:$https_port"
  wait_for 60 "the console" curl -fsS "http://127.0.0.1:$console_port/api/v1/"
}

admin_login() {
  local lain="$root/bin/lain"
  "$lain" config save local domain "$domain" >/dev/null
  "$lain" config save local console "http://127.0.0.1:$console_port" >/dev/null
  "$lain" config save local registry "127.0.0.1:$registry_port" >/dev/null
  if "$lain" config show 2>/dev/null | grep -q "(hidden; logged in)"; then
    step "lain phase local: already logged in"
    return
  fi
  step "creating the cluster admin's API token (lainctl user add admin --admin)"
  # A second machine user (or lost ~/.lain) gets a new token of the existing admin.
  local token
  token=$(lainctl user add admin --admin --token-only 2>/dev/null || lainctl user token admin)
  printf '%s\n' "$token" | "$lain" login local --token-file - >/dev/null
  note "phase local: logged in as admin (token in ~/.lain/lain.conf.yaml, mode 0600)"
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
  local single=$1
  shift
  # The checks run in Java: the tools come first (building them changes nothing on the machine).
  build_tools
  preflight "$single" "$@"
  install_packages
  start_docker
  start_registry
  stop_default_nginx
  base_image
  cluster_config
  start_laind
  admin_login
  summary
}
