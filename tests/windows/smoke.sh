#!/usr/bin/env bash
# The Windows build, tested under wine (`make test-windows` runs this after
# building): the library's unit tests, then the installer and the installed
# program as an owner's PC would run them — a silent install; import of a
# CSV and an XLSX (through the workbook reader child), the 80/20 figures
# equal to the Linux build's on the same files, a chart, a backup, a
# restore, a check and the meeting pack, all on a data folder whose path
# has Chinese characters and spaces; a team shared with a Linux PC through
# one folder (a touch logged on Linux shows on Windows with its author, and
# the folder shows no phone number); the default data folder under
# %APPDATA%; a silent uninstall that leaves the data folders.
#
# Usage: tests/windows/smoke.sh APP_DIR SETUP.exe UNIT_TESTS.exe LINUX_VITALFEW
# (APP_DIR: the build's folder, with WebView2Loader.dll, which every
# Windows executable of the app loads at start.)
# Needs wine (a fresh prefix is made under target/windows/), mingw-w64 (the
# stand-in DLL below), poppler-utils (pdfinfo). The webview (WebView2) does
# not run under wine: the window is tested on Linux (`make test`).
set -euo pipefail

app_dir=$(realpath "$1")
setup=$(realpath "$2")
unit_tests=$(realpath "$3")
linux=$(realpath "$4")
root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/target/windows/smoke"
fixtures="$root/tests/fixtures"

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LC_ALL=C.UTF-8
step "a fresh wine prefix"
wineboot -i >/dev/null 2>&1 || true
wineserver -w
# wine 8.0 lacks bcryptprimitives.dll (ProcessPrng), which Rust's standard
# library calls at start; real Windows 10/11 has it. A stand-in for tests only.
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$root/packaging/windows/wine/bcryptprimitives.c" "$root/packaging/windows/wine/bcryptprimitives.def" -ladvapi32

step "the library's unit tests"
cp "$app_dir/WebView2Loader.dll" "$(dirname "$unit_tests")/"
wine "$unit_tests" --quiet 2>&1 | tail -n 3 | tee "$work/unit.log"
grep -q "test result: ok" "$work/unit.log" || fail "unit tests under wine"

step "silent install"
wine "$setup" /S
wineserver -w
appdata_local=$(winepath -u "$(wine cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')")
appdata=$(wine cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')
install="$appdata_local/Programs/Vital Few"
exe="$install/vitalfew.exe"
[ -f "$exe" ] && [ -f "$install/vitalfew.com" ] && [ -f "$install/WebView2Loader.dll" ] && [ -f "$install/uninstall.exe" ] || fail "installed files in $install"
start_menu=$(winepath -u "$(wine cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')")/Microsoft/Windows/Start\ Menu/Programs
[ -f "$start_menu/Vital Few 关键少数.lnk" ] || fail "Start-menu shortcut"
wine reg query 'HKCU\Software\Classes\.xlsx\OpenWithProgids' 2>/dev/null | grep -q VitalFew.Table || fail "Open with for .xlsx"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\VitalFew' 2>/dev/null | grep -q DisplayVersion || fail "Apps & features entry"
echo "installed in $install ($(du -sh "$install" | cut -f1))"

# The owner's data folder, with Chinese characters and spaces in its path.
data='C:\users\张伟\My Data\Vital Few 数据'
win() { wine "$exe" --data-dir "$data" "$@"; }
w() { winepath -w "$1"; }
cp "$fixtures/ledger_gbk.csv" "$work/销售 台账.csv"
cp "$fixtures/ledger_1904.xlsx" "$work/orders 2024.xlsx"

step "import a CSV and an XLSX"
win import "$(w "$work/销售 台账.csv")" --json > "$work/import-csv.json"
win import "$(w "$work/orders 2024.xlsx")" --json > "$work/import-xlsx.json"
grep -q '"sales_lines"' "$work/import-xlsx.json" || fail "XLSX import (the workbook reader child)"

step "the 80/20 figures equal the Linux build's"
linux_data="$work/linux-data"
"$linux" --data-dir "$linux_data" import "$work/销售 台账.csv" > /dev/null
"$linux" --data-dir "$linux_data" import "$work/orders 2024.xlsx" > /dev/null
"$linux" --data-dir "$linux_data" concentration --json > "$work/linux.json"
win concentration --json | tr -d '\r' > "$work/windows.json"
diff "$work/linux.json" "$work/windows.json" || fail "concentration differs between Linux and Windows"

step "chart, backup, restore, check, pack"
win chart pareto --out "$data\\pareto 图.png" > /dev/null
[ "$(head -c 4 "$(winepath -u "$data\\pareto 图.png")" | tail -c 3)" = "PNG" ] || fail "chart"
win backup --out "$data\\备份 one.vfbackup" > /dev/null
win account promote 1 > /dev/null
win restore "$data\\备份 one.vfbackup" > /dev/null
[ "$(win accounts --json | tr -d '\r\n ')" = "[]" ] || fail "restore brings back the state of the backup"
win check | tr -d '\r' | grep -q "The store is intact." || fail "check"
win backups --json | tr -d '\r' | grep -q '"ok": true' || fail "backups listed and verified"
win pack --out "$data\\会议 pack.pdf" > /dev/null
pdfinfo "$(winepath -u "$data\\会议 pack.pdf")" | grep -q "^Pages:" || fail "meeting pack"
grep -q '"state": "closed"' "$(winepath -u "$data")/store.manifest" || fail "the store closed cleanly"

step "a team shared by this Windows PC and a Linux PC"
team_folder='C:\users\张伟\团队 共享'
export VITALFEW_TEAM_PASSPHRASE='春风十里不如你呀'
win account promote 1 > /dev/null
win contact add 1 --name 王伟 --phone 13800001111 --level decision --function finance --attitude supporter > /dev/null
win team create --name 华东销售部 --folder "$team_folder" --member 张伟 > /dev/null
"$linux" --data-dir "$linux_data" team join --folder "$(winepath -u "$team_folder")" --member 李娜 > /dev/null
# (Outputs go to files: `grep -q` leaving a pipe early would fail the writer.)
"$linux" --data-dir "$linux_data" contacts 1 --json > "$work/team-contacts.json"
grep -q '"王伟"' "$work/team-contacts.json" || fail "the Windows PC's contact reaches the Linux PC"
"$linux" --data-dir "$linux_data" touch 1 --kind visit --summary "拜访 from Linux" > /dev/null
"$linux" --data-dir "$linux_data" team sync > /dev/null
win team sync > /dev/null
win notebook 1 --json > "$work/team-notebook.json"
grep -q '"by": "李娜"' "$work/team-notebook.json" || fail "a touch logged on Linux reaches Windows with its author"
! grep -rqa "13800001111" "$(winepath -u "$team_folder")" || fail "the team folder shows a phone number"
unset VITALFEW_TEAM_PASSPHRASE

step "vitalfew.com: the commands in a console, with their exit codes"
wine "$install/vitalfew.com" --data-dir "$data" info | tr -d '\r' | grep -q "customers:" || fail "vitalfew.com prints"
set +e
wine "$install/vitalfew.com" --data-dir "$data" restore 'C:\no such backup.vfbackup' 2> "$work/com.err"
code=$?
set -e
[ "$code" = 1 ] && grep -q "cannot use the backup" "$work/com.err" || fail "vitalfew.com returns the exit code (got $code)"

step "the default data folder is %APPDATA%\\vitalfew"
wine "$exe" info | tr -d '\r' | grep -qF "data dir:       $appdata\\vitalfew" || fail "default data folder"

step "silent uninstall keeps the data"
wine "$install/uninstall.exe" /S
wineserver -w
for _ in $(seq 60); do [ -e "$exe" ] || break; sleep 1; done
[ ! -e "$exe" ] || fail "the program is removed"
[ ! -e "$start_menu/Vital Few 关键少数.lnk" ] || fail "the shortcut is removed"
[ -f "$(winepath -u "$data")/store.manifest" ] || fail "the data folder is kept"
[ -d "$(winepath -u "$appdata")/vitalfew/store" ] || fail "the default data folder is kept"
step "Windows smoke test passed"
