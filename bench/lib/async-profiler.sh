# Sourced by bench/profile-carrier and bench/profile-layers: async-profiler's Linux x64 library,
# fetched from Maven Central (tools.profiler:async-profiler) on first use into
# bench/profiler/target, and attaching it to a running JVM. The caller sets root and JAVA_HOME.
# shellcheck shell=bash

asprof_version=4.1
asprof_lib="$root/bench/profiler/target/linux-x64/libasyncProfiler.so"

asprof_ready() {   # $1: the calling script's name, for messages; fetches the library when missing
  [ "$(uname -s -m)" = "Linux x86_64" ] || { echo "$1: needs Linux on x86_64 (uses async-profiler's linux-x64 library)" >&2; return 1; }
  [ -f "$asprof_lib" ] && return 0
  local dir="$root/bench/profiler/target" fetch_log
  echo "$1: fetching tools.profiler:async-profiler:$asprof_version ..." >&2
  # Maven 3.8 writes colour resets even in batch mode: its output is shown only when it fails.
  if ! fetch_log=$("$root/bin/mvn" -q -B -Dstyle.color=never dependency:copy \
      -Dartifact="tools.profiler:async-profiler:$asprof_version" -DoutputDirectory="$dir" 2>&1); then
    sed 's/\x1b\[[0-9;]*m//g' <<<"$fetch_log" >&2
    return 1
  fi
  (cd "$dir" && "$JAVA_HOME/bin/jar" xf "async-profiler-$asprof_version.jar" linux-x64/libasyncProfiler.so)
  [ -f "$asprof_lib" ] || { echo "$1: no linux-x64 library in async-profiler $asprof_version" >&2; return 1; }
}

asprof() {   # $1 JVM pid, $2 async-profiler's options ("start,event=cpu,...", "stop,collapsed,file=...")
  "$JAVA_HOME/bin/java" "$root/bench/profiler/Attach.java" "$1" "$asprof_lib" "$2" >/dev/null
}
