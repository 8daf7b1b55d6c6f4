#!/bin/bash
# Submits an AlignScope batch manifest to Slurm: an array for feature extraction, an array for the analyses
# (after the extraction succeeded), and a merge job (after the analyses, whatever their outcome).
# Usage: submit.sh --manifest FILE.json --out DIR [--cli PATH] [--gpu] [--partition NAME] [--cpus N] [-- SBATCH_OPTIONS...]
# Prints the merge job's id. DIR must be on a file system all nodes share.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=$(command -v alignscope-cli || true)
manifest="" out="" gpu="" partition="" cpus=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --manifest) manifest=$(readlink -f "$2"); shift 2 ;;
    --out) mkdir -p "$2"; out=$(readlink -f "$2"); shift 2 ;;
    --cli) cli=$(readlink -f "$2"); shift 2 ;;
    --gpu) gpu="--gres=gpu:1"; shift ;;
    --partition) partition="--partition=$2"; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$manifest" ] && [ -n "$out" ] && [ -x "$cli" ] || { echo "usage: submit.sh --manifest FILE --out DIR [--cli PATH] [--gpu]" >&2; exit 2; }
template=$here/alignscope-array.sbatch
[ -f "$template" ] || template=/usr/share/alignscope/slurm/alignscope-array.sbatch
common=(--parsable --chdir="$out" --cpus-per-task="$cpus" ${partition:+"$partition"} "${extra[@]}")
export ALIGNSCOPE_CLI="$cli" ALIGNSCOPE_MANIFEST="$manifest" ALIGNSCOPE_OUT="$out"
dependency=()
n_extract=$("$cli" batch --manifest "$manifest" --out "$out" --stage extract --count)
if [ "$n_extract" -gt 0 ]; then
  extract=$(ALIGNSCOPE_STAGE=extract sbatch "${common[@]}" ${gpu:+"$gpu"} --export=ALL --array=0-$((n_extract - 1)) "$template")
  dependency=(--dependency=afterok:"$extract")
fi
n_analyse=$("$cli" batch --manifest "$manifest" --out "$out" --stage analyse --count)
analyse=$(ALIGNSCOPE_STAGE=analyse sbatch "${common[@]}" "${dependency[@]}" --export=ALL --array=0-$((n_analyse - 1)) "$template")
sbatch --parsable --chdir="$out" ${partition:+"$partition"} --dependency=afterany:"$analyse" --job-name=alignscope-merge \
  --output=slurm-merge-%j.out --wrap="'$cli' merge '$out'"
