#!/usr/bin/env bash
# Throwaway Redis and PostgreSQL servers for the store tests, on free loopback ports, with all
# their files in one temp folder. .ci/run uses it; a developer can start the very same servers:
#
#   eval "$(bash .ci/services.sh start)"   # starts both, prints `export REDIS_URL=...` and `export DATABASE_URL=...`
#   npx vitest run test/store              # the store tests now cover sqlite, redis and postgres
#   bash .ci/services.sh stop              # stops both and removes the folder
#   bash .ci/services.sh env               # prints the exports again while they run
#
# Needs redis-server and PostgreSQL's server binaries (Debian: apt-get install redis-server postgresql).
# Ports are picked free at start, so servers a developer already runs (6379, 5432) are left alone.
# The folder is $SFB_SERVICES_DIR, default /tmp/sfb-test-services. A start while the servers of an
# earlier one still answer reuses them; a half-dead earlier start is cleared first. Progress goes to
# stderr so stdout is only the exports.
set -euo pipefail

state_dir="${SFB_SERVICES_DIR:-${TMPDIR:-/tmp}/sfb-test-services}"
database_name='sfb_test'

log() { printf '[services] %s\n' "$*" >&2; }

# PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user the
# Debian package creates; as anyone else they run as that user.
as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

postgres_bin_dir() {
	local dir
	if [ -n "${PG_BIN_DIR:-}" ]; then
		echo "$PG_BIN_DIR"
		return
	fi
	# Newest installed major version wins (Debian 12 ships 15).
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"
			return
		fi
	done
	log 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql, or set PG_BIN_DIR)'
	return 1
}

# A port the kernel just handed out and released: free now, and far from the usual 6379/5432.
free_port() {
	node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

wait_until() {
	local what="$1" tries="$2"
	shift 2
	for _ in $(seq 1 "$tries"); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	log "$what did not come up"
	return 1
}

print_env() {
	cat "$state_dir/env"
}

# Both servers of an earlier start still answer: start again just hands out their exports, so a
# second start (another terminal, another engineer on the same machine) never kills the first's.
running() {
	[ -f "$state_dir/env" ] && [ -f "$state_dir/redis.port" ] && [ -f "$state_dir/postgres.port" ] || return 1
	redis-cli -h 127.0.0.1 -p "$(cat "$state_dir/redis.port")" ping >/dev/null 2>&1 || return 1
	"$(cat "$state_dir/postgres.bin")/pg_isready" -q -h 127.0.0.1 -p "$(cat "$state_dir/postgres.port")" >/dev/null 2>&1
}

start() {
	if running; then
		log "already running from an earlier start in $state_dir; reusing them"
		print_env
		return 0
	fi
	if [ -d "$state_dir" ]; then
		log "clearing what an earlier start left in $state_dir"
		stop
	fi
	mkdir -p "$state_dir"
	local redis_port postgres_port pg_bin started_at
	started_at=$(date +%s%N)

	redis_port=$(free_port)
	log "redis-server on 127.0.0.1:$redis_port"
	redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
		--pidfile "$state_dir/redis.pid" --logfile "$state_dir/redis.log" --dir "$state_dir"
	echo "$redis_port" >"$state_dir/redis.port"
	wait_until redis-server 100 redis-cli -h 127.0.0.1 -p "$redis_port" ping

	pg_bin=$(postgres_bin_dir)
	postgres_port=$(free_port)
	mkdir -p "$state_dir/postgres"
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$state_dir/postgres"
		if ! runuser -u postgres -- test -w "$state_dir/postgres"; then
			log "the postgres user cannot reach $state_dir/postgres: make every folder above it traversable (chmod o+x)"
			return 1
		fi
	fi
	chmod 700 "$state_dir/postgres"
	log "PostgreSQL ($pg_bin) on 127.0.0.1:$postgres_port"
	as_postgres "$pg_bin/initdb" -D "$state_dir/postgres/data" -U postgres -A trust -E UTF8 --locale=C >"$state_dir/initdb.log"
	# Durability is pointless for a throwaway test server; skipping fsync keeps CI quick.
	as_postgres "$pg_bin/pg_ctl" -D "$state_dir/postgres/data" -l "$state_dir/postgres/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $postgres_port -k $state_dir/postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >&2
	echo "$postgres_port" >"$state_dir/postgres.port"
	echo "$pg_bin" >"$state_dir/postgres.bin"
	as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$postgres_port" -U postgres "$database_name"

	{
		echo "export REDIS_URL=redis://127.0.0.1:$redis_port"
		echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$postgres_port/$database_name"
	} >"$state_dir/env"
	log "both up in $(( ($(date +%s%N) - started_at) / 1000000 )) ms"
	print_env
}

stop() {
	if [ ! -d "$state_dir" ]; then
		log "nothing to stop ($state_dir does not exist)"
		return 0
	fi
	# Each step goes on when the one before failed, so one dead server never keeps the other running.
	if [ -f "$state_dir/redis.pid" ]; then
		local redis_pid
		redis_pid=$(cat "$state_dir/redis.pid")
		log "stopping redis-server (pid $redis_pid)"
		kill "$redis_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$redis_pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	if [ -f "$state_dir/postgres/data/postmaster.pid" ] && [ -f "$state_dir/postgres.bin" ]; then
		log 'stopping PostgreSQL'
		as_postgres "$(cat "$state_dir/postgres.bin")/pg_ctl" -D "$state_dir/postgres/data" -m fast -w stop >&2 || true
	fi
	rm -rf "$state_dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
env) print_env ;;
*)
	echo "usage: $0 start|stop|env" >&2
	exit 2
	;;
esac
