# Sourced by bench/http and bench/echo: starting, watching and stopping ONE server process at a
# time, and building what the targets run. The caller sets root (the repository) and logdir (a
# temporary folder), and may set server_pid; JAVA_HOME is set here.
# shellcheck shell=bash

JAVA_HOME=$("$root/bin/jdk25")
tick=$(getconf CLK_TCK)
server_pid=
nginx_prefix=

stop_server() {   # TERM, up to 5 s, then KILL; never leaves the server running
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  if [ -n "$nginx_prefix" ]; then rm -rf "$nginx_prefix"; nginx_prefix=; fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_listening() {   # $1 port: up to 60 s, while the server lives
  for _ in $(seq 600); do
    kill -0 "$server_pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

allowed_cpus() {   # the CPUs this process may run on, one a line (Cpus_allowed_list reads like 0-3,6)
  local r IFS=,
  for r in $(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status); do seq "${r%-*}" "${r#*-}"; done
}

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# The same, split: "USER SYSTEM" clock ticks (utime, stime): user space against the kernel's work for it.
cpu_split() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12, $13}'; }
# $1 clock ticks as µs per request, over the REQS requests of the run parse_wrk read ("-" for none).
per_request() { awk -v d="$1" -v hz="$tick" -v n="${REQS:-0}" 'BEGIN { if (n > 0) printf "%.1f", d / hz * 1e6 / n; else print "-" }'; }

gevent4j_built=0
gevent4j_ready() {   # builds the gevent4j jars outside any timing (bin/gevent4j builds when stale)
  [ "$gevent4j_built" = 1 ] && return 0
  if ! "$root/bin/gevent4j" --help >"$logdir/gevent4j-help.out" 2>&1; then
    echo "bin/gevent4j --help failed (build error?): $(tail -3 "$logdir/gevent4j-help.out" | tr '\n' ' ')"
    return 1
  fi
  gevent4j_built=1
}

netty_jar="$root/bench/netty/target/netty-anchor.jar"
netty_ready() {
  if [ ! -f "$netty_jar" ] || [ -n "$(find "$root/bench/netty/src" "$root/bench/netty/pom.xml" -newer "$netty_jar" -print -quit)" ]; then
    echo "bench: building $netty_jar ..." >&2
    "$root/bin/mvn" -q -B -f "$root/bench/netty/pom.xml" package >&2
  fi
}

jmh_jar="$root/core/target/benchmarks.jar"
jmh_jar_ready() {
  if [ ! -f "$jmh_jar" ] || [ -n "$(find "$root/core/src/jmh" "$root/core/src/main" "$root/pom.xml" "$root/core/pom.xml" -newer "$jmh_jar" -print -quit)" ]; then
    echo "bench: building $jmh_jar ..." >&2
    "$root/bin/mvn" -q -B -Dstyle.color=never -Pjmh -Dmaven.test.skip=true -pl core package >&2
  fi
}

netty_command() {   # $1 http|echo, $2 port, $3 epoll|nio: sets CMD
  netty_ready
  CMD=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
       -jar "$netty_jar" "$1" "$2")
  if [ "$3" = nio ]; then CMD+=(--nio); fi
}

nginx_command() {   # $1 port: sets CMD; a fresh prefix (config, pid, logs) that stop_server removes
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "nginx is not installed (apt: nginx-light)"; return 1; }
  nginx_prefix=$(mktemp -d /tmp/bench-nginx.XXXXXX)
  sed -e "s|@PORT@|$1|; s|@PREFIX@|$nginx_prefix|g" "$root/bench/nginx/hello.conf" >"$nginx_prefix/nginx.conf"
  CMD=("$(command -v nginx || echo /usr/sbin/nginx)" -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf")
}
