#!/bin/bash
# Re-runs every 1M-row measurement serially (results/*.txt). Fixtures: see README.md (gen/ + ssconvert + soffice).
cd "$(dirname "$0")"
G=fixtures/big-gnumeric.xlsx; L=fixtures/lo1m/big-gnumeric.xlsx
[ "$1" = "--only-new" ] || {
./run.sh exceljs-read-gnumeric1m node probe/exceljs-read.mjs $G
./run.sh diy-read-gnumeric1m node probe/diy-read.mjs $G
./run.sh exceljs-read-lo1m node probe/exceljs-read.mjs $L
./run.sh diy-read-lo1m-compact node probe/diy-read.mjs $L
./run.sh exceljs-write1m-inline-yield node probe/exceljs-write.mjs 1000000 fixtures/ew-1m.xlsx
./run.sh exceljs-write1m-shared node probe/exceljs-write.mjs 1000000 fixtures/ew-1m-shared.xlsx --shared
./run.sh sheetjs-read-gnumeric1m node --max-old-space-size=8192 probe/sheetjs-read.mjs $G
}
./run.sh diy-write1m node probe/diy-write.mjs 1000000 fixtures/dw-1m.xlsx
./run.sh excelts-read-gnumeric1m node probe/exceljs-read.mjs $G --pkg excelts
EXCELJS_PKG=excelts ./run.sh excelts-write1m-inline node probe/exceljs-write.mjs 1000000 fixtures/et-1m.xlsx
./run.sh diy-read-dw1m node probe/diy-read.mjs fixtures/dw-1m.xlsx
./run.sh sheetjs-read-lo1m node --max-old-space-size=8192 probe/sheetjs-read.mjs $L
./run.sh diy-pipe-lo1m-compact node probe/diy-pipe.mjs fixtures/lo1m/big-gnumeric.xlsx fixtures/pipe-lo1m.xlsx
./run.sh diy-pipe-gnumeric1m node probe/diy-pipe.mjs fixtures/big-gnumeric.xlsx fixtures/pipe-g1m.xlsx
