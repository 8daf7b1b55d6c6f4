#!/bin/bash
# Runs the demo manifest (29 jobs) locally and on a single-node Slurm cluster started here (Debian's
# slurm-wlm and munge), then checks the merged results are identical. Needs root (slurmd) and the packages
# packaging/install-deps.sh installs. Usage: slurm_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(readlink -f "$1") source=$(readlink -f "$2")
cli=$build/app/alignscope-cli
if [ "$(id -u)" -ne 0 ]; then echo "slurm_test: needs root to start slurmd (CI runs as root)" >&2; exit 1; fi
for tool in slurmctld slurmd munged sbatch squeue sinfo; do command -v $tool >/dev/null || { echo "slurm_test: $tool missing; run packaging/install-deps.sh" >&2; exit 1; }; done
work=$(mktemp -d /tmp/alignscope-slurm-XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -f "$work/slurm/slurmd.pid" ] && kill "$(cat "$work/slurm/slurmd.pid")" 2>/dev/null || true
  [ -f "$work/slurm/slurmctld.pid" ] && kill "$(cat "$work/slurm/slurmctld.pid")" 2>/dev/null || true
  [ -f "$work/munge/munged.pid" ] && kill "$(cat "$work/munge/munged.pid")" 2>/dev/null || true
  [ -n "${munge_pid:-}" ] && { kill "$munge_pid" 2>/dev/null; wait "$munge_pid" 2>/dev/null; } || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

"$cli" demo --out "$work/demo" >/dev/null
cp "$source/tests/cluster/demo_manifest.json" "$work/manifest.json"
echo "== local run"
"$cli" batch --manifest "$work/manifest.json" --out "$work/local" | tail -1
"$cli" merge "$work/local"

echo "== starting munge and a single-node Slurm"
mkdir -p "$work/munge" /run/munge "$work/slurm/state" "$work/slurm/spool"
[ -f /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown -R munge:munge /etc/munge /run/munge "$work/munge" 2>/dev/null || true
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
runuser -u munge -- /usr/sbin/munged --foreground --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" >"$work/munge/stdout.log" 2>&1 &
munge_pid=$!
node=$(hostname -s)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > "$work/slurm/slurm.conf" <<CONF
ClusterName=alignscope-ci
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$node CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm/slurm.conf
for i in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.2; done
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for i in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo

echo "== submitting the manifest as array jobs"
merge_job=$("$source/packaging/slurm/submit.sh" --manifest "$work/manifest.json" --out "$work/slurm-run" --cli "$cli")
echo "merge job $merge_job"
for i in $(seq 600); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 1; done
if [ -n "$(squeue -h)" ]; then echo "slurm_test: jobs still queued after 10 minutes" >&2; squeue; exit 1; fi
ls "$work/slurm-run"/slurm-*.out | wc -l | xargs echo "array task logs:"
failed=$(grep -l '"state":"failed"' "$work/slurm-run"/jobs/*/status.json || true)
[ -z "$failed" ] || { echo "failed jobs: $failed" >&2; cat "$work/slurm-run"/slurm-*.out >&2; exit 1; }
jobs=$(ls -d "$work/slurm-run"/jobs/*/ | wc -l)
echo "jobs completed on Slurm: $jobs"
[ "$jobs" -ge 20 ] || { echo "slurm_test: only $jobs jobs" >&2; exit 1; }
if cmp "$work/local/merged.csv" "$work/slurm-run/merged.csv"; then
  echo "merged results identical: $(($(wc -l < "$work/local/merged.csv") - 1)) rows from $jobs jobs"
else
  diff "$work/local/merged.csv" "$work/slurm-run/merged.csv" | head -20 >&2
  exit 1
fi
