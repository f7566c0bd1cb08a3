# shellcheck shell=bash
# free_port: a TCP port on 127.0.0.1 that the kernel has just handed out as free. Sourced by .ci/run,
# scripts/dev-mode-check.sh and scripts/two-instances.sh. (bench/lib/cluster.sh has its own: it scans
# from a given port, for a cluster and service on predictable ports.)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
