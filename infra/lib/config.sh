# shellcheck shell=bash
# The instance config (KEY=VALUE lines, systemd EnvironmentFile syntax), read without eval.

# config_lines FILE: print "KEY<TAB>VALUE" for each setting; dies on a malformed line.
config_lines() {
  local line key value n=0
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] ||
      die "$1:$n: expected KEY=VALUE"
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
    printf '%s\t%s\n' "$key" "$value"
  done <"$1"
}

# config_get KEY: print KEY's value from $BERTH_CONFIG (empty when unset).
config_get() {
  local key value
  while IFS=$'\t' read -r key value; do
    [[ "$key" == "$1" ]] && printf '%s\n' "$value"
  done < <(config_lines "$BERTH_CONFIG")
  return 0
}

# load_config: export every setting of $BERTH_CONFIG and check the required ones.
load_config() {
  [[ -r "$BERTH_CONFIG" ]] || die "$BERTH_CONFIG not found; run: bash infra/bootstrap.sh"
  local key value
  while IFS=$'\t' read -r key value; do
    export "$key=$value"
  done < <(config_lines "$BERTH_CONFIG")
  [[ -n "${DATABASE_URL:-}" ]] || die "$BERTH_CONFIG: DATABASE_URL is missing"
  local secret="${BERTH_SECRET:-}"
  ((${#secret} >= 32)) || die "$BERTH_CONFIG: BERTH_SECRET is missing or shorter than 32 characters"
  export BERTH_PORT="${BERTH_PORT:-3000}" BERTH_HOST="${BERTH_HOST:-0.0.0.0}"
  [[ "$BERTH_PORT" =~ ^[0-9]+$ ]] || die "$BERTH_CONFIG: BERTH_PORT must be a number"
  export BERTH_PUBLIC_URL="${BERTH_PUBLIC_URL:-http://127.0.0.1:$BERTH_PORT}"
}

# config_set KEY VALUE: set KEY in $BERTH_CONFIG (every other line kept as it is; 0600, replaced
# atomically); an empty VALUE removes it.
config_set() {
  local line dir tmp
  dir="$(dirname "$BERTH_CONFIG")"
  tmp="$(mktemp "$dir/.berth.env.XXXXXX")"
  chmod 0600 "$tmp"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*$1= ]] || printf '%s\n' "$line"
  done <"$BERTH_CONFIG" >"$tmp"
  [[ -z "$2" ]] || printf '%s=%s\n' "$1" "$2" >>"$tmp"
  mv -f "$tmp" "$BERTH_CONFIG"
}

# parse_db_url URL: set DB_USER DB_PASS DB_HOST DB_PORT DB_NAME; non-zero if not of that form.
# shellcheck disable=SC2034 # the DB_* outputs are read by the callers
parse_db_url() {
  local re='^postgres(ql)?://([^:/@]+):([^@/]+)@([^:/?]+)(:([0-9]+))?/([^?]+)$'
  [[ "$1" =~ $re ]] || return 1
  DB_USER="${BASH_REMATCH[2]}" DB_PASS="${BASH_REMATCH[3]}" DB_HOST="${BASH_REMATCH[4]}"
  DB_PORT="${BASH_REMATCH[6]:-5432}" DB_NAME="${BASH_REMATCH[7]}"
}
