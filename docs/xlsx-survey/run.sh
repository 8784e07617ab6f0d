#!/bin/bash
# usage: run.sh LABEL CMD...   -> results/LABEL.txt with stdout tail + wall + maxRSS
label=$1; shift
/usr/bin/time -v "$@" > results/$label.out 2> results/$label.time
rc=$?
{ echo "label=$label rc=$rc"; tail -1 results/$label.out; grep -E 'Elapsed|Maximum resident' results/$label.time; } > results/$label.txt
cat results/$label.txt
