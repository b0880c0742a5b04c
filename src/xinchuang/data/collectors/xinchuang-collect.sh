#!/bin/sh
# xinchuang-collect.sh: inventory of one Linux host for xinchuang (信创).
#
# Writes one JSON document in the "xinchuang-host-scan" format, version 1
# (documented in docs/collectors.md): CPU (vendor string, model name, and on
# ARM the implementer/part codes), DMI system vendor/product/serial and BIOS,
# `uname -m`, /etc/os-release and the installed dpkg and rpm packages.
#
# It needs nothing beyond a POSIX sh and the tools every Linux install has
# (awk, sed, sort, cat, date, uname; dpkg-query and/or rpm when present), so
# it runs as shipped on Kylin, UOS, openEuler, old CentOS and Debian hosts,
# with no Python and no jq. Run it as root to include the DMI serial number
# (the kernel makes /sys/class/dmi/id/product_serial readable by root only).
#
#   sh xinchuang-collect.sh [-o FILE] [--asset-no ID] [--no-packages] [--root DIR]
#
# Every byte the host reports is kept: strings are JSON-escaped (quotes,
# backslashes, control characters) and non-ASCII text passes through as is.

COLLECTOR_VERSION=1
# Where the system's files are: "" for the running system, or the --root of an image.
ROOT=""

# The JSON string escaper, in awk, shared by every writer below. Awk runs with
# LC_ALL=C so that it works on bytes: multi-byte UTF-8 passes through intact.
JSON_AWK='
function jinit(   i) {
    for (i = 1; i < 32; i++) JESC[sprintf("%c", i)] = sprintf("\\u%04x", i)
    JESC["\t"] = "\\t"; JESC["\n"] = "\\n"; JESC["\r"] = "\\r"
    JESC["\\"] = "\\\\"; JESC["\""] = "\\\""
    JREADY = 1
}
function jstr(s,   out, i, n, c) {
    if (!JREADY) jinit()
    if (index(s, "\"") == 0 && index(s, "\\") == 0 && s ~ /^[ -~]*$/) return "\"" s "\""
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c in JESC) out = out JESC[c]; else out = out c
    }
    return "\"" out "\""
}
function jval(s) { return s == "" ? "null" : jstr(s) }
'

# json_string VALUE: VALUE as a JSON string literal (newlines included).
json_string() {
    printf '%s\n' "$1" | LC_ALL=C awk "$JSON_AWK"'
        { v = (NR > 1) ? v "\n" $0 : $0 }
        END { printf "%s", jstr(v) }'
}

# json_value VALUE: a JSON string, or null when VALUE is empty.
json_value() {
    if [ -n "$1" ]; then json_string "$1"; else printf 'null'; fi
}

# json_number VALUE: VALUE when it is a non-negative integer, else null.
json_number() {
    case "$1" in
        '' | *[!0-9]*) printf 'null' ;;
        *) printf '%s' "$1" ;;
    esac
}

# read_value FILE: the first line of FILE with surrounding blanks trimmed, or
# nothing when FILE is missing or unreadable (DMI files root can only read).
read_value() {
    if [ -r "$1" ] && [ -f "$1" ]; then
        LC_ALL=C awk 'NR == 1 { sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, ""); print; exit }' "$1" 2>/dev/null
    fi
}

# os_release_json FILE: every KEY=VALUE of an os-release file as a JSON object,
# with the shell quoting of the format (freedesktop.org os-release) undone.
os_release_json() {
    LC_ALL=C awk "$JSON_AWK"'
        /^[A-Za-z_][A-Za-z0-9_]*=/ {
            key = substr($0, 1, index($0, "=") - 1)
            val = substr($0, index($0, "=") + 1)
            sub(/[ \t\r]+$/, "", val)
            q = substr(val, 1, 1)
            if ((q == "\"" || q == "'\''") && length(val) >= 2 && substr(val, length(val), 1) == q) {
                val = substr(val, 2, length(val) - 2)
                if (q == "\"") {
                    out = ""
                    while ((i = index(val, "\\")) > 0) {
                        out = out substr(val, 1, i - 1) substr(val, i + 1, 1)
                        val = substr(val, i + 2)
                    }
                    val = out val
                }
            }
            if (!(key in seen)) order[++n] = key
            seen[key] = val
        }
        END {
            printf "{"
            for (k = 1; k <= n; k++) {
                printf "%s%s: %s", (k > 1 ? ", " : ""), jstr(order[k]), jstr(seen[order[k]])
            }
            printf "}"
        }' "$1"
}

# cpu_json: the "cpu" object from /proc/cpuinfo and the sysfs CPU topology.
cpu_json() {
    topology=""
    if [ -r "$ROOT/sys/devices/system/cpu/cpu0/topology/physical_package_id" ]; then
        # One line "SOCKETS CORES" from the distinct package ids and (package, core) pairs.
        topology=$(LC_ALL=C awk '
            FNR == 1 {
                n = split(FILENAME, part, "/"); cpu = part[n - 2]
                if (FILENAME ~ /physical_package_id$/) pkg[cpu] = $1; else core[cpu] = $1
            }
            END {
                for (c in pkg) {
                    if (pkg[c] < 0) unknown = 1
                    if (!(pkg[c] in sockets)) { sockets[pkg[c]] = 1; ns++ }
                    pair = pkg[c] SUBSEP core[c]
                    if (!(pair in cores)) { cores[pair] = 1; nc++ }
                }
                print (unknown ? "" : ns), nc
            }' "$ROOT"/sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id \
               "$ROOT"/sys/devices/system/cpu/cpu[0-9]*/topology/core_id 2>/dev/null)
    fi
    lscpu_model=""
    if [ -z "$ROOT" ] && command -v lscpu >/dev/null 2>&1; then
        # lscpu names ARM cores from the implementer/part codes (e.g. Kunpeng-920)
        # where /proc/cpuinfo has no model name; used only as a fallback.
        lscpu_model=$(LC_ALL=C lscpu 2>/dev/null | LC_ALL=C awk -F ':' '
            $1 == "Model name" { sub(/^[ \t]+/, "", $2); if ($2 != "-") print $2; exit }')
    fi
    cpuinfo="$ROOT/proc/cpuinfo"
    [ -r "$cpuinfo" ] || cpuinfo=/dev/null
    LC_ALL=C awk -F ':' -v topology="$topology" -v lscpu_model="$lscpu_model" "$JSON_AWK"'
        function value(   v) { v = substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v); return v }
        {
            key = $1; sub(/[ \t]+$/, "", key); key = tolower(key)
            if (key == "processor") logical++
            else if (key == "vendor_id" && vendor == "") vendor = value()
            else if ((key == "model name" || key == "cpu model") && model == "") model = value()
            else if (key == "cpu implementer" && implementer == "") implementer = value()
            else if (key == "cpu part" && part == "") part = value()
            else if (key == "flags") { flags_seen = 1; if ((" " value() " ") ~ / hypervisor /) hypervisor = 1 }
            else if (key == "physical id") { if (!($0 in ids)) { ids[$0] = 1; nids++ } pid = value() }
            else if (key == "core id") { pair = pid SUBSEP value(); if (!(pair in pairs)) { pairs[pair] = 1; npairs++ } }
        }
        END {
            sockets = ""; cores = ""
            if (topology != "") { split(topology, t, " "); sockets = t[1]; cores = t[2] }
            else if (nids > 0) { sockets = nids; cores = npairs }
            if (model == "") model = lscpu_model
            printf "{\"vendor_id\": %s, \"model_name\": %s, \"implementer\": %s, \"part\": %s, ", jval(vendor), jval(model), jval(implementer), jval(part)
            printf "\"sockets\": %s, \"cores\": %s, \"logical_cpus\": %s, ", (sockets == "" ? "null" : sockets), (cores == "" ? "null" : cores), (logical ? logical : "null")
            printf "\"hypervisor\": %s}", (flags_seen ? (hypervisor ? "true" : "false") : "null")
        }' "$cpuinfo"
}

# dmi_json: the "dmi" object from /sys/class/dmi/id (null fields where absent).
dmi_json() {
    dmi="$ROOT/sys/class/dmi/id"
    printf '{'
    sep=''
    for field in sys_vendor product_name product_version product_serial board_vendor board_name \
        chassis_vendor chassis_asset_tag bios_vendor bios_version bios_date; do
        printf '%s"%s": ' "$sep" "$field"
        json_value "$(read_value "$dmi/$field")"
        sep=', '
    done
    printf '}'
}

# packages_tsv: "manager TAB name TAB version TAB arch TAB vendor" per installed package.
packages_tsv() {
    if command -v dpkg-query >/dev/null 2>&1; then
        # shellcheck disable=SC2016  # ${...} is dpkg-query's format syntax, not the shell's
        dpkg-query ${ROOT:+"--admindir=$ROOT/var/lib/dpkg"} -W -f='${Status}\t${Package}\t${Version}\t${Architecture}\n' 2>/dev/null |
            LC_ALL=C awk -F '\t' '$1 ~ / installed$/ { printf "deb\t%s\t%s\t%s\t\n", $2, $3, $4 }'
    fi
    if command -v rpm >/dev/null 2>&1; then
        rpm ${ROOT:+--root "$ROOT"} -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\t%{VENDOR}\n' 2>/dev/null |
            LC_ALL=C awk -F '\t' '$1 != "gpg-pubkey" && $1 != "" {
                arch = ($3 == "(none)") ? "" : $3; vendor = ($4 == "(none)") ? "" : $4
                printf "rpm\t%s\t%s\t%s\t%s\n", $1, $2, arch, vendor }'
    fi
}

# packages_json: the "packages" array.
packages_json() {
    packages_tsv | LC_ALL=C awk -F '\t' "$JSON_AWK"'
        BEGIN { printf "[" }
        NF >= 3 && $2 != "" {
            printf "%s\n    {\"manager\": %s, \"name\": %s, \"version\": %s, \"arch\": %s, \"vendor\": %s}", (n++ ? "," : ""), jstr($1), jstr($2), jval($3), jval($4), jval($5)
        }
        END { printf (n ? "\n  ]" : "]") }'
}

# first_readable FILE...: the first of the files that can be read, or nothing.
first_readable() {
    for candidate in "$@"; do
        if [ -r "$candidate" ] && [ -f "$candidate" ]; then
            printf '%s' "$candidate"
            return 0
        fi
    done
    return 1
}

# scan: the whole document on stdout.
scan() {
    asset_no=$1
    with_packages=$2
    os_release_file=$(first_readable "$ROOT/etc/os-release" "$ROOT/usr/lib/os-release")
    release_file=$(first_readable "$ROOT/etc/kylin-release" "$ROOT/etc/openEuler-release" \
        "$ROOT/etc/system-release" "$ROOT/etc/redhat-release" "$ROOT/etc/centos-release" \
        "$ROOT/etc/SuSE-release")
    machine_id=$(read_value "$ROOT/etc/machine-id")
    [ -n "$machine_id" ] || machine_id=$(read_value "$ROOT/var/lib/dbus/machine-id")
    hostname=""
    [ -z "$ROOT" ] || hostname=$(read_value "$ROOT/etc/hostname")
    [ -n "$hostname" ] || hostname=$(uname -n)

    printf '{\n  "format": "xinchuang-host-scan",\n  "version": 1,\n'
    printf '  "collector": {"name": "xinchuang-collect.sh", "version": %s},\n' "$COLLECTOR_VERSION"
    printf '  "collected_at": %s,\n' "$(json_value "$(date -u '+%Y-%m-%dT%H:%M:%SZ')")"
    printf '  "hostname": %s,\n' "$(json_value "$hostname")"
    printf '  "machine_id": %s,\n' "$(json_value "$machine_id")"
    printf '  "asset_no": %s,\n' "$(json_value "$asset_no")"
    printf '  "uname": {"machine": %s, "kernel": %s},\n' \
        "$(json_value "$(uname -m)")" "$(json_value "$(uname -r)")"
    if [ -n "$os_release_file" ]; then
        printf '  "os_release": %s,\n' "$(os_release_json "$os_release_file")"
    else
        printf '  "os_release": null,\n'
    fi
    if [ -n "$release_file" ]; then
        printf '  "system_release": %s,\n' "$(json_value "$(read_value "$release_file")")"
    else
        printf '  "system_release": null,\n'
    fi
    printf '  "cpu": %s,\n' "$(cpu_json)"
    printf '  "dmi": %s,\n' "$(dmi_json)"
    devicetree_model=""
    if [ -r "$ROOT/proc/device-tree/model" ]; then
        # The device tree (ARM and LoongArch boards without DMI) ends its strings with NUL.
        devicetree_model=$(tr -d '\000' <"$ROOT/proc/device-tree/model")
    fi
    printf '  "devicetree_model": %s,\n' "$(json_value "$devicetree_model")"
    if [ "$with_packages" = 1 ]; then
        printf '  "packages": '
        packages_json
        printf '\n}\n'
    else
        printf '  "packages": []\n}\n'
    fi
}

usage() {
    cat <<'EOF'
usage: sh xinchuang-collect.sh [-o FILE] [--asset-no ID] [--no-packages] [--root DIR]

Collect this host's CPU, DMI, OS release and installed packages as
xinchuang host-scan JSON (on stdout, or in FILE with -o). Run as root to
include the DMI serial number. Import the file with: xinchuang import FILE

  -o, --output FILE   write to FILE instead of stdout
  --asset-no ID       the organization's asset number of this host
  --no-packages       leave the package list out
  --root DIR          read the system under DIR (a mounted image) instead of /;
                      uname still describes the running system
  -h, --help          show this help
  --version           show the collector's format version
EOF
}

main() {
    output=""
    asset_no=""
    with_packages=1
    while [ $# -gt 0 ]; do
        case "$1" in
            -o | --output)
                [ $# -ge 2 ] || { echo "xinchuang-collect.sh: $1 needs a file name" >&2; exit 2; }
                output=$2
                shift 2
                ;;
            --output=*) output=${1#--output=}; shift ;;
            --asset-no)
                [ $# -ge 2 ] || { echo "xinchuang-collect.sh: $1 needs a value" >&2; exit 2; }
                asset_no=$2
                shift 2
                ;;
            --asset-no=*) asset_no=${1#--asset-no=}; shift ;;
            --no-packages) with_packages=0; shift ;;
            --root)
                [ $# -ge 2 ] || { echo "xinchuang-collect.sh: $1 needs a directory" >&2; exit 2; }
                ROOT=${2%/}
                shift 2
                ;;
            --root=*) ROOT=${1#--root=}; ROOT=${ROOT%/}; shift ;;
            -h | --help) usage; exit 0 ;;
            --version) echo "xinchuang-collect.sh $COLLECTOR_VERSION"; exit 0 ;;
            *) echo "xinchuang-collect.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
        esac
    done
    if [ -z "$output" ]; then
        scan "$asset_no" "$with_packages"
        return
    fi
    # Write beside the target and rename, so that a failed run leaves no half file.
    partial="$output.partial.$$"
    if ! scan "$asset_no" "$with_packages" >"$partial"; then
        rm -f "$partial"
        echo "xinchuang-collect.sh: could not write $output" >&2
        exit 1
    fi
    mv -f "$partial" "$output" || { rm -f "$partial"; exit 1; }
}

# XINCHUANG_COLLECT_LIB=1 loads the functions without running (for tests).
if [ "${XINCHUANG_COLLECT_LIB:-0}" != 1 ]; then
    main "$@"
fi
