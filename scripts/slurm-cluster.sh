#!/usr/bin/env bash
# A one-node Slurm cluster (munged, slurmctld, slurmd) for trying the experiments/slurm/ scripts
# on one machine. Usage:
#
#   scripts/slurm-cluster.sh start  [STATE_DIR]   install slurm-wlm and munge if missing, start, wait for idle
#   scripts/slurm-cluster.sh stop   [STATE_DIR]   stop the daemons this script started from STATE_DIR
#   scripts/slurm-cluster.sh status [STATE_DIR]   exit 0 when running, 3 when not
#   scripts/slurm-cluster.sh env    [STATE_DIR]   print the line for eval "$(scripts/slurm-cluster.sh env)"
#
# STATE_DIR defaults to /tmp/decoy-slurm. Everything the cluster writes lives under it: the generated
# slurm.conf and cgroup.conf (etc/), munge's key, socket and seed (munge/), slurmctld's state (state/),
# slurmd's spool (spool/), logs (log/) and pid files (run/; munged's in munge/). Nothing in /etc is edited; clients find
# the cluster through SLURM_CONF, which `env` prints. Daemons are stopped by the pids in run/,
# never by name. Must run as root (apt-get, and the munge and slurm users the packages create).
#
# Settings for this machine kind (Debian 12 without systemd, cgroup v1 hierarchies on a tmpfs):
# proctrack/linuxproc and task/none (no cgroup confinement), cgroup/v1 in cgroup.conf (v2 fails
# with "Hybrid mode is not supported"), MpiDefault=none, no accounting, cons_tres with CR_CPU.
set -euo pipefail

readonly SLURM_PORTS_CTLD=6817 SLURM_PORTS_D=6818
readonly WAIT_IDLE=60

usage() {
    echo "usage: $0 start|stop|status|env [STATE_DIR]" >&2
    exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
command=$1
state=${2:-/tmp/decoy-slurm}
case $state in /*) ;; *) state=$(pwd)/$state ;; esac
state=${state%/}

conf=$state/etc/slurm.conf
munge_socket=$state/munge/munge.socket.2
daemons=(slurmd slurmctld munged)   # stop order; start order is the reverse

die() {
    echo "slurm-cluster: error: $*" >&2
    exit 1
}

# munged insists that its log and pid directories belong to munge (or root), so its files live
# in munge/; slurmctld runs as slurm and writes log/ and run/.
pidfile() { if [ "$1" = munged ]; then echo "$state/munge/munged.pid"; else echo "$state/run/$1.pid"; fi; }
logfile() { if [ "$1" = munged ]; then echo "$state/munge/munged.log"; else echo "$state/log/$1.log"; fi; }

# The pid of a daemon this script started from $state, when that process still runs as that
# daemon (a pid reused by another program does not count).
live_pid() {
    local file pid comm
    file=$(pidfile "$1")
    [ -s "$file" ] || return 1
    # munged removes its own pid file as it exits, so the file may vanish between the two reads.
    pid=$(tr -dc '0-9' <"$file" 2>/dev/null) || return 1
    [ -n "$pid" ] || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [ "$comm" = "$1" ] || return 1
    # A zombie (exited, not yet reaped by its parent) no longer runs.
    [ "$(sed 's/^.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
    echo "$pid"
}

log_tail() {
    local file
    file=$(logfile "$1")
    echo "--- last lines of $file ---" >&2
    if [ -s "$file" ]; then tail -n 25 "$file" >&2; else echo "(empty or missing)" >&2; fi
}

# Fails loudly: the message, each daemon's log tail, then stops whatever this start launched.
fail_start() {
    echo "slurm-cluster: error: $*" >&2
    local d
    for d in munged slurmctld slurmd; do log_tail "$d"; done
    stop_daemons >&2 || true
    exit 1
}

install_packages() {
    local missing=0 p
    for p in munged munge unmunge slurmctld slurmd sbatch sinfo scontrol; do
        command -v "$p" >/dev/null 2>&1 || missing=1
    done
    [ $missing = 1 ] || return 0
    echo "slurm-cluster: installing slurm-wlm and munge with apt-get"
    local started=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    apt-get -qq update || die "apt-get update failed"
    apt-get -qq install -y slurm-wlm munge >/dev/null || die "apt-get install slurm-wlm munge failed"
    echo "slurm-cluster: installed in $((SECONDS - started)) s"
    id munge >/dev/null 2>&1 || die "the munge package did not create the munge user"
    id slurm >/dev/null 2>&1 || die "the slurm packages did not create the slurm user"
}

write_config() {
    local host hw cpus memory
    host=$(hostname)
    hw=$(slurmd -C 2>/dev/null | head -n 1) || die "slurmd -C failed"
    cpus=$(sed -n 's/.*[[:space:]]CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
    memory=$(sed -n 's/.*[[:space:]]RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
    [ -n "$cpus" ] && [ -n "$memory" ] || die "cannot read CPUs and RealMemory from 'slurmd -C': $hw"

    cat >"$state/etc/slurm.conf" <<EOF
# Written by scripts/slurm-cluster.sh for a one-node cluster under $state.
ClusterName=decoy
SlurmctldHost=$host
SlurmUser=slurm
SlurmctldPort=$SLURM_PORTS_CTLD
SlurmdPort=$SLURM_PORTS_D
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$state/state
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$(pidfile slurmctld)
SlurmdPidFile=$(pidfile slurmd)
SlurmctldLogFile=$(logfile slurmctld)
SlurmdLogFile=$(logfile slurmd)
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    cat >"$state/etc/cgroup.conf" <<EOF
# Written by scripts/slurm-cluster.sh; cgroup/v2 fails here ("Hybrid mode is not supported").
CgroupPlugin=cgroup/v1
EOF
}

prepare_dirs() {
    mkdir -p "$state"/{etc,log,run,spool}
    mkdir -p "$state/state" "$state/munge"
    chmod 0755 "$state" "$state"/{etc,log,run,spool}
    chown slurm: "$state/state" "$state/log" "$state/run"
    chmod 0700 "$state/state"
    chown munge: "$state/munge"
    chmod 0755 "$state/munge"
    if [ ! -s "$state/munge/munge.key" ]; then
        if command -v mungekey >/dev/null 2>&1; then
            mungekey --create --keyfile="$state/munge/munge.key"
        else
            dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
        fi
    fi
    chown munge: "$state/munge/munge.key"
    chmod 0400 "$state/munge/munge.key"
    touch "$(logfile munged)"
    chown munge: "$(logfile munged)"
}

start_munged() {
    rm -f "$(pidfile munged)"
    runuser -u munge -- munged \
        --key-file="$state/munge/munge.key" \
        --socket="$munge_socket" \
        --seed-file="$state/munge/munged.seed" \
        --log-file="$(logfile munged)" \
        --pid-file="$(pidfile munged)" \
        </dev/null >>"$(logfile munged)" 2>&1 || fail_start "munged did not start"
    local i
    for i in $(seq 1 50); do
        if munge -n -S "$munge_socket" 2>/dev/null | unmunge -S "$munge_socket" >/dev/null 2>&1; then
            live_pid munged >/dev/null || fail_start "munged answers but its pid file $(pidfile munged) is not valid"
            return 0
        fi
        sleep 0.1
    done
    fail_start "munged does not answer on $munge_socket ('munge -n | unmunge' fails)"
}

start_slurm() {
    export SLURM_CONF=$conf
    rm -f "$(pidfile slurmctld)" "$(pidfile slurmd)"
    slurmctld -f "$conf" </dev/null >>"$(logfile slurmctld)" 2>&1 || fail_start "slurmctld did not start"
    local i
    for i in $(seq 1 100); do
        scontrol ping 2>/dev/null | grep -q 'is UP' && break
        [ "$i" = 100 ] && fail_start "slurmctld does not answer 'scontrol ping' after 10 s"
        if [ -s "$(pidfile slurmctld)" ] && ! live_pid slurmctld >/dev/null; then
            fail_start "slurmctld exited (another cluster on port $SLURM_PORTS_CTLD? see its log)"
        fi
        sleep 0.1
    done
    live_pid slurmctld >/dev/null || fail_start "slurmctld runs without a valid pid file $(pidfile slurmctld)"
    slurmd -f "$conf" </dev/null >>"$(logfile slurmd)" 2>&1 || fail_start "slurmd did not start"
    for i in $(seq 1 20); do
        live_pid slurmd >/dev/null && break
        [ "$i" = 20 ] && fail_start "slurmd wrote no valid pid file $(pidfile slurmd)"
        sleep 0.1
    done
}

wait_idle() {
    local host node_state="" deadline=$((SECONDS + WAIT_IDLE))
    host=$(hostname)
    while [ $SECONDS -lt $deadline ]; do
        node_state=$(sinfo -h -n "$host" -o '%t' 2>/dev/null | head -n 1 || true)
        [ "$node_state" = idle ] && return 0
        for d in slurmctld slurmd munged; do
            live_pid "$d" >/dev/null || fail_start "$d exited while waiting for the node"
        done
        sleep 0.5
    done
    fail_start "node $host is not idle after $WAIT_IDLE s (sinfo state: '${node_state:-none}')"
}

# Pids whose parent is $1.
child_pids() {
    awk -v parent="$1" '{ sub(/^.*\) /, ""); if ($2 == parent) { n = FILENAME; gsub(/[^0-9]/, "", n); print n } }' \
        /proc/[0-9]*/stat 2>/dev/null || true
}

# Waits up to 5 s for the processes to leave the process table (a zombie counts as gone once its
# parent has had that time to reap it); SIGKILLs any still running after that.
wait_gone() {
    local pid i
    for pid in "$@"; do
        for i in $(seq 1 50); do
            [ -d "/proc/$pid" ] || break
            sleep 0.1
        done
        if [ -d "/proc/$pid" ] && [ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
            echo "slurm-cluster: process $pid still runs; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

# Stops each daemon whose pid file names a live process: SIGTERM, up to 20 s, then SIGKILL.
stop_daemons() {
    local d pid i stopped=0 gone=()
    if live_pid slurmctld >/dev/null; then
        # Jobs still running would leave slurmstepd processes behind slurmd; cancel them first.
        local jobs
        jobs=$(SLURM_CONF=$conf squeue -h -o '%A' 2>/dev/null || true)
        if [ -n "$jobs" ]; then
            echo "slurm-cluster: cancelling jobs: $(echo $jobs)"
            # shellcheck disable=SC2086
            SLURM_CONF=$conf scancel $jobs 2>/dev/null || true
            for i in $(seq 1 50); do
                [ -z "$(SLURM_CONF=$conf squeue -h -t running,completing -o '%A' 2>/dev/null || true)" ] && break
                sleep 0.2
            done
        fi
    fi
    for d in "${daemons[@]}"; do
        pid=$(live_pid "$d") || { rm -f "$(pidfile "$d")"; continue; }
        # The daemon's own children (slurmctld's slurmscriptd) end with it; they are waited for too.
        local children
        children=$(child_pids "$pid")
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 200); do
            live_pid "$d" >/dev/null || break
            [ "$i" = 200 ] && { echo "slurm-cluster: $d ($pid) ignores SIGTERM; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; }
            sleep 0.1
        done
        rm -f "$(pidfile "$d")"
        echo "slurm-cluster: stopped $d ($pid${children:+; child $(echo $children)})"
        gone+=("$pid" $children)
        stopped=1
    done
    # Exited daemons stay in the process table until their parent (init) reaps them.
    [ ${#gone[@]} = 0 ] || wait_gone "${gone[@]}"
    [ $stopped = 1 ] || echo "slurm-cluster: nothing running from $state"
}

# Prints one line and returns 0 (all three running), 3 (none) or 4 (some).
report_status() {
    local d pid up=0 parts=()
    for d in munged slurmctld slurmd; do
        if pid=$(live_pid "$d"); then parts+=("$d $pid"); up=$((up + 1)); else parts+=("$d not running"); fi
    done
    local IFS=,
    case $up in
        3) echo "running from $state (${parts[*]})"; return 0 ;;
        0) echo "not running from $state"; return 3 ;;
        *) echo "partly running from $state (${parts[*]})"; return 4 ;;
    esac
}

require_root() {
    [ "$(id -u)" = 0 ] || die "$command needs root (apt-get, munge and slurm users)"
}

case $command in
    start)
        require_root
        started=$SECONDS
        if report_status >/dev/null; then
            echo "slurm-cluster: already running from $state"
            report_status || true
            echo "export SLURM_CONF=$conf"
            exit 0
        fi
        # Anything left from an earlier, broken start is stopped before starting afresh.
        rc=0; report_status >/dev/null || rc=$?
        if [ $rc = 4 ]; then
            echo "slurm-cluster: $(report_status || true); stopping the rest first"
            stop_daemons
        fi
        install_packages
        prepare_dirs
        write_config
        start_munged
        start_slurm
        wait_idle
        echo "slurm-cluster: node $(hostname) idle after $((SECONDS - started)) s; $(report_status)"
        echo "export SLURM_CONF=$conf"
        ;;
    stop)
        require_root
        stop_daemons
        ;;
    status)
        rc=0; report_status || rc=$?
        if [ $rc = 0 ]; then SLURM_CONF=$conf sinfo 2>/dev/null || true; fi
        exit $rc
        ;;
    env)
        [ -f "$conf" ] || echo "slurm-cluster: warning: $conf does not exist yet; run start first" >&2
        echo "export SLURM_CONF=$conf"
        ;;
    *) usage ;;
esac
