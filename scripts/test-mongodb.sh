#!/usr/bin/env bash
# Runs engine/mongostore's tests against a real MongoDB: the whole store
# conformance suite, concurrency included, and the explain test; then,
# on a replica set this script started itself, the failover test.
#
#   scripts/test-mongodb.sh
#       mongod on PATH: start a three-node replica set on loopback (temporary
#       folders, free ports), run everything, stop it. No mongod: say so in
#       one line and exit 0 (these machines cannot install MongoDB).
#   MOTCUA_TEST_MONGODB_URI='mongodb://host:27017/?replicaSet=rs0' scripts/test-mongodb.sh
#       use that server instead: the suite and explain test only. Each test
#       works in a database of its own and drops it. The failover test runs
#       against it only with MOTCUA_TEST_MONGODB_FAILOVER=1, since it steps
#       the primary down.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pkgs=(./engine/mongostore/)

if [ -n "${MOTCUA_TEST_MONGODB_URI:-}" ]; then
	echo "test-mongodb: against MOTCUA_TEST_MONGODB_URI"
	exec go test -race -count=1 "${pkgs[@]}"
fi

if ! command -v mongod >/dev/null 2>&1 || ! command -v mongosh >/dev/null 2>&1; then
	echo "test-mongodb: mongod or mongosh not on PATH; MongoDB tests skipped (set MOTCUA_TEST_MONGODB_URI to use a server)"
	exit 0
fi

dir="$(mktemp -d -t motcua-mongo.XXXXXX)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

# Three free loopback ports, chosen by the kernel.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ports=()
for i in 0 1 2; do
	ports+=("$(free_port)")
	mkdir -p "$dir/n$i"
	mongod --replSet rs0 --bind_ip 127.0.0.1 --port "${ports[$i]}" --dbpath "$dir/n$i" \
		--logpath "$dir/n$i.log" --quiet &
	pids+=("$!")
done

# Wait for each node to answer, without a fixed sleep.
for p in "${ports[@]}"; do
	for _ in $(seq 1 120); do
		mongosh --quiet --port "$p" --eval 'db.adminCommand({ping: 1}).ok' >/dev/null 2>&1 && break
		sleep 0.5
	done
done

members=""
for i in 0 1 2; do members+="{_id: $i, host: '127.0.0.1:${ports[$i]}'},"; done
mongosh --quiet --port "${ports[0]}" --eval "rs.initiate({_id: 'rs0', members: [${members%,}]})" >/dev/null
# Wait for a primary.
for _ in $(seq 1 240); do
	[ "$(mongosh --quiet --port "${ports[0]}" --eval 'db.hello().isWritablePrimary || !!db.hello().primary')" = "true" ] && break
	sleep 0.5
done

export MOTCUA_TEST_MONGODB_URI="mongodb://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}/?replicaSet=rs0"
echo "test-mongodb: replica set rs0 on ports ${ports[*]}"
go test -race -count=1 "${pkgs[@]}"
echo "test-mongodb: failover"
MOTCUA_TEST_MONGODB_FAILOVER=1 go test -race -count=1 -run 'TestFailoverKeepsAcknowledgedWrites' -v "${pkgs[@]}"
