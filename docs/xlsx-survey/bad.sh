#!/bin/bash
# Runs every reader against the bad-workbook fixtures; prints one line per (reader, file).
cd "$(dirname "$0")"
for f in fixtures/bad/*.xlsx fixtures/bad/legacy.xls; do
  for r in exceljs excelts sheetjs diy; do
    case $r in
      exceljs) out=$(timeout 60 node probe/exceljs-read.mjs $f 2>&1 | tail -1);;
      excelts) out=$(timeout 60 node probe/exceljs-read.mjs $f --pkg excelts 2>&1 | tail -1);;
      sheetjs) out=$(timeout 60 node probe/sheetjs-read.mjs $f 2>&1 | tail -1);;
      diy) out=$(timeout 60 node probe/diy-read.mjs $f 2>&1 | tail -1);;
    esac
    echo "$(basename $f) | $r | rc=$? | ${out:0:300}"
  done
done
