#!/usr/bin/env bash
# patguard deploy gate for CI: the step behind action.yml (GitHub Actions) and
# gitlab/patguard.gitlab-ci.yml (GitLab CI). It finds a JDK, obtains the gate jar, runs
# `patguard check` and reports the outcome; it exits with the gate's exit code
# (0 permit, 1 deny, 2 indeterminate, 64 usage).
#
# Inputs are environment variables (action.yml maps its inputs onto them):
#   PATGUARD_GATE_REQUIREMENTS     required; one requirement a line (blank lines and # comments skipped)
#   PATGUARD_GATE_BRMS_URL         BRMS base URL; empty: the CLI reads $PATGUARD_BRMS_URL
#   PATGUARD_GATE_TOKEN_ENV        NAME of the variable holding the token (default PATGUARD_TOKEN)
#   PATGUARD_GATE_LEAST_PRIVILEGE  true|false (default false)
#   PATGUARD_GATE_MAX_LIFETIME     e.g. 90d; implies least privilege
#   PATGUARD_GATE_RECEIPT, PATGUARD_GATE_SIGNING_KEY   a signed receipt (both or neither)
#   PATGUARD_GATE_SARIF            write the SARIF 2.1.0 log to this file
#   PATGUARD_GATE_CODEQUALITY      write a GitLab code quality report (JSON) to this file
#   PATGUARD_GATE_SARIF_ARTIFACT   the repository file SARIF results and annotations point at
#   PATGUARD_GATE_TIMEOUT          longest wait for BRMS (CLI default 5s)
#   PATGUARD_GATE_FORMAT           github|text|json (default github on GitHub Actions, else text)
#   PATGUARD_GATE_JAR              a patguard.jar to use instead of fetching one
#   PATGUARD_GATE_VERSION          the patguard version to fetch
#   PATGUARD_GATE_REPOSITORY_URL   Maven repository (default https://repo1.maven.org/maven2)
#   PATGUARD_GATE_JAR_SHA256       expected SHA-256 of the jar (else the repository's .sha1 is checked)
#   PATGUARD_GATE_DOTENV           also write PATGUARD_DECISION=… and PATGUARD_EXIT_CODE=… to this file
#
# The token is never read here: its variable's NAME goes to the CLI (--token-env), which reads it.
# Nothing here traces commands (xtrace) or prints the environment.
set -euo pipefail

USAGE=64

fail() {
  # One line for the log; on GitHub also an error annotation.
  if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
    printf '::error title=patguard::%s\n' "$1"
  fi
  printf 'patguard: error: %s\n' "$1" >&2
  report "ERROR" "$USAGE"
  exit "$USAGE"
}

# Writes one output: the heredoc form of $GITHUB_OUTPUT with a random delimiter, which no value
# can contain by chance; plain NAME=VALUE lines for a dotenv file.
report() {
  local decision=$1 code=$2
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    local delim
    delim="patguard_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    {
      printf 'decision<<%s\n%s\n%s\n' "$delim" "$decision" "$delim"
      printf 'exit-code<<%s\n%s\n%s\n' "$delim" "$code" "$delim"
      printf 'sarif-file<<%s\n%s\n%s\n' "$delim" "${SARIF_WRITTEN:-}" "$delim"
    } >>"$GITHUB_OUTPUT"
  fi
  if [ -n "${PATGUARD_GATE_DOTENV:-}" ]; then
    printf 'PATGUARD_DECISION=%s\nPATGUARD_EXIT_CODE=%s\n' "$decision" "$code" >>"$PATGUARD_GATE_DOTENV"
  fi
}

sha() { # ALGORITHM FILE -> hex digest
  if command -v "sha$1sum" >/dev/null 2>&1; then
    "sha$1sum" "$2" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a "$1" "$2" | cut -d' ' -f1
  else
    fail "neither sha$1sum nor shasum is installed: cannot verify the downloaded jar"
  fi
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed: cannot download $1 (or set the jar input / PATGUARD_GATE_JAR)"
  fi
}

# --- a JDK ---------------------------------------------------------------------------------------
java_cmd=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java_cmd="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  java_cmd="$(command -v java)"
else
  fail "no java found (JAVA_HOME unset, none on PATH): patguard needs Java 17 or later; on GitHub add actions/setup-java before this step, on GitLab use an image with a JDK or JRE (eclipse-temurin:17-jre)"
fi
java_version="$("$java_cmd" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
java_major="${java_version#1.}"
java_major="${java_major%%.*}"
case "$java_major" in
  '' | *[!0-9]*) fail "cannot tell the version of $java_cmd: patguard needs Java 17 or later" ;;
esac
if [ "$java_major" -lt 17 ]; then
  fail "$java_cmd is Java $java_version: patguard needs Java 17 or later (actions/setup-java with java-version: '17')"
fi

# --- the gate jar --------------------------------------------------------------------------------
jar="${PATGUARD_GATE_JAR:-}"
if [ -n "$jar" ]; then
  [ -f "$jar" ] || fail "the jar $jar does not exist"
elif [ -n "${GITHUB_ACTION_PATH:-}" ] && [ -f "$GITHUB_ACTION_PATH/cli/target/patguard.jar" ]; then
  # Run from a built checkout of patguard itself (`uses: ./` after `mvn package`).
  jar="$GITHUB_ACTION_PATH/cli/target/patguard.jar"
else
  version="${PATGUARD_GATE_VERSION:-}"
  [ -n "$version" ] || fail "no patguard version to fetch: set the version input (PATGUARD_GATE_VERSION) or the jar input (PATGUARD_GATE_JAR)"
  case "$version" in
    *[!A-Za-z0-9._-]*) fail "'$version' is not a patguard version (such as 0.1.0)" ;;
    *-SNAPSHOT) fail "$version is a snapshot: snapshots are not fetched by coordinates; build the jar and set the jar input (PATGUARD_GATE_JAR)" ;;
  esac
  repo="${PATGUARD_GATE_REPOSITORY_URL:-https://repo1.maven.org/maven2}"
  repo="${repo%/}"
  url="$repo/dev/patguard/patguard-cli/$version/patguard-cli-$version-all.jar"
  cache="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/patguard-$version"
  mkdir -p "$cache"
  jar="$cache/patguard-cli-$version-all.jar"
  if [ ! -f "$jar" ]; then
    part="$jar.part"
    download "$url" "$part" || fail "cannot download dev.patguard:patguard-cli:$version:jar:all from $url"
    if [ -n "${PATGUARD_GATE_JAR_SHA256:-}" ]; then
      expected="$(printf '%s' "$PATGUARD_GATE_JAR_SHA256" | tr 'A-F' 'a-f')"
      actual="$(sha 256 "$part")"
    else
      download "$url.sha1" "$part.sha1" || fail "cannot download the checksum $url.sha1"
      expected="$(tr -d ' \r\n' <"$part.sha1" | cut -c1-40 | tr 'A-F' 'a-f')"
      actual="$(sha 1 "$part")"
      rm -f "$part.sha1"
    fi
    if [ "$expected" != "$actual" ]; then
      rm -f "$part"
      fail "the jar downloaded from $url has checksum $actual, not $expected: not running it"
    fi
    mv "$part" "$jar"
  fi
fi

# --- the command ---------------------------------------------------------------------------------
token_env="${PATGUARD_GATE_TOKEN_ENV:-PATGUARD_TOKEN}"
case "$token_env" in
  [A-Za-z_]*) ;;
  *) fail "token-env must be the NAME of an environment variable, such as PATGUARD_TOKEN (value not shown)" ;;
esac
case "$token_env" in
  *[!A-Za-z0-9_]*) fail "token-env must be the NAME of an environment variable, such as PATGUARD_TOKEN (value not shown)" ;;
esac
# Checked here, not by the CLI, so that a secret pasted into token-env by mistake reaches neither
# a command line nor a message. ${NAME+x} is x when NAME is set, without reading its value (the
# name is a checked identifier, so the eval runs nothing else; bash 3.2 on macOS has no [[ -v ]]).
eval "token_set=\${$token_env+x}"
if [ -z "$token_set" ]; then
  case "$token_env" in
    *[a-z]*) fail "the variable named by token-env is not set (name not shown: it has lower-case letters and may be a secret pasted by mistake): set the token as a secret in an environment variable and pass its NAME" ;;
    *) fail "the variable $token_env named by token-env is not set: set it from a secret (env: $token_env: \${{ secrets.… }} on GitHub, a masked CI/CD variable on GitLab)" ;;
  esac
fi

args=(check --token-env "$token_env")
count=0
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  case "$line" in
    '' | '#'*) continue ;;
  esac
  args+=(--require "$line")
  count=$((count + 1))
done <<EOF
${PATGUARD_GATE_REQUIREMENTS:-}
EOF
[ "$count" -gt 0 ] || fail "no requirements: set the requirements input (PATGUARD_GATE_REQUIREMENTS), one a line, such as releases:deploy@web-shop"

if [ -n "${PATGUARD_GATE_BRMS_URL:-}" ]; then
  args+=(--brms-url "$PATGUARD_GATE_BRMS_URL")
fi
case "${PATGUARD_GATE_LEAST_PRIVILEGE:-false}" in
  true | True | TRUE) args+=(--least-privilege) ;;
  false | False | FALSE | '') ;;
  *) fail "least-privilege must be true or false, not '${PATGUARD_GATE_LEAST_PRIVILEGE}'" ;;
esac
if [ -n "${PATGUARD_GATE_MAX_LIFETIME:-}" ]; then
  args+=(--max-lifetime "$PATGUARD_GATE_MAX_LIFETIME")
fi
if [ -n "${PATGUARD_GATE_TIMEOUT:-}" ]; then
  args+=(--timeout "$PATGUARD_GATE_TIMEOUT")
fi
if [ -n "${PATGUARD_GATE_RECEIPT:-}" ] || [ -n "${PATGUARD_GATE_SIGNING_KEY:-}" ]; then
  args+=(--receipt "${PATGUARD_GATE_RECEIPT:-}" --signing-key "${PATGUARD_GATE_SIGNING_KEY:-}")
fi
SARIF_WRITTEN=""
if [ -n "${PATGUARD_GATE_SARIF:-}" ]; then
  mkdir -p "$(dirname "$PATGUARD_GATE_SARIF")"
  rm -f "$PATGUARD_GATE_SARIF" # a log left by an earlier run is not this run's
  args+=(--sarif-file "$PATGUARD_GATE_SARIF")
fi
if [ -n "${PATGUARD_GATE_CODEQUALITY:-}" ]; then
  mkdir -p "$(dirname "$PATGUARD_GATE_CODEQUALITY")"
  rm -f "$PATGUARD_GATE_CODEQUALITY"
  args+=(--codequality-file "$PATGUARD_GATE_CODEQUALITY")
fi
format="${PATGUARD_GATE_FORMAT:-}"
if [ -z "$format" ]; then
  if [ "${GITHUB_ACTIONS:-}" = "true" ]; then format=github; else format=text; fi
fi
args+=(--format "$format")
if [ -n "${PATGUARD_GATE_SARIF_ARTIFACT:-}" ]; then
  args+=(--sarif-artifact "$PATGUARD_GATE_SARIF_ARTIFACT")
elif [ "$format" != github ] && [ -z "${PATGUARD_GATE_SARIF:-}" ]; then
  : # --sarif-artifact is refused without an output that locates findings
fi

# --- run it --------------------------------------------------------------------------------------
set +e
"$java_cmd" -jar "$jar" "${args[@]}"
code=$?
set -e
if [ -n "${PATGUARD_GATE_SARIF:-}" ] && [ -s "$PATGUARD_GATE_SARIF" ]; then
  SARIF_WRITTEN="$PATGUARD_GATE_SARIF"
fi
case "$code" in
  0) decision=PERMIT ;;
  1) decision=DENY ;;
  2) decision=INDETERMINATE ;;
  *) decision=ERROR ;;
esac
report "$decision" "$code"
exit "$code"
