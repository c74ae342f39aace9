#!/bin/sh
# From N pods to one verdict: waits until the per-zone Job (verify-per-zone-job.yaml) has no
# pod running, saves each pod's log (its report.json: the pods run `verify --format json
# --quiet`) and merges them with `netconform merge` into one set of reports, every scenario
# with each zone's verdict beside it. Exits with the merged verdict (0 conformant, 1 not, 3
# inconclusive, 2 when a log is not a report).
#
#   ci/kubernetes/merge-zones.sh [NAMESPACE [JOB [OUT_DIR]]]
#
# NETCONFORM and KUBECTL name the programs (default netconform and kubectl on PATH); the
# kubeconfig is kubectl's (in a pipeline: `aws eks update-kubeconfig` first).
set -eu
ns=${1:-pulumi}
job=${2:-netconform-verify-per-zone}
out=${3:-merged}
kubectl=${KUBECTL:-kubectl}
netconform=${NETCONFORM:-netconform}

# Bounded: 30 minutes, the Job's activeDeadlineSeconds.
i=0
while :; do
  state=$("$kubectl" -n "$ns" get "job/$job" -o 'jsonpath={.status.startTime}/{.status.active}')
  case "$state" in
    ?*/|?*/0) break ;;
  esac
  i=$((i + 1))
  if [ "$i" -gt 180 ]; then
    echo "merge-zones: job/$job still has pods running after 30 minutes; merging what ended" >&2
    break
  fi
  sleep 10
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pods=$("$kubectl" -n "$ns" get pods -l "job-name=$job" -o name)
if [ -z "$pods" ]; then
  echo "merge-zones: no pod of job/$job in namespace $ns" >&2
  exit 3
fi
for pod in $pods; do
  "$kubectl" -n "$ns" logs "$pod" > "$dir/${pod#pod/}.json"
done
"$netconform" merge "$dir"/*.json --report-dir "$out"
