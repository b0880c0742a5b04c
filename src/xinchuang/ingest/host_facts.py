"""Facts about a machine that several scan formats report the same way.

Serial numbers recognize a machine across sources, so the placeholders that
firmware ships when the OEM never filled the field in ("To Be Filled By
O.E.M.", "Default string", "0123456789" …) must not be taken for serials:
two hundred desktops sharing one would be reconciled into one host. The list
is the set of SMBIOS defaults that AMI/Insyde/Phoenix BIOS templates and
whitebox OEMs ship, as commonly seen in `dmidecode` output.

Virtual machines are recognized by what their hypervisor puts into the DMI
system vendor and product fields (QEMU/KVM, VMware, Hyper-V, VirtualBox, Xen
and the public clouds built on them), or by the x86 ``hypervisor`` CPU flag
that a guest kernel reports in ``/proc/cpuinfo``.
"""

from __future__ import annotations

import re

_PLACEHOLDER_SERIALS = frozenset(
    {
        "",
        "0",
        "00000000",
        "000000000000",
        "0000000000000000",
        "0123456789",
        "123456789",
        "1234567890",
        "default string",
        "none",
        "n/a",
        "na",
        "not applicable",
        "not available",
        "not specified",
        "not set",
        "no asset tag",
        "null",
        "oem",
        "system serial number",
        "serial",
        "to be filled by o.e.m.",
        "to be filled by oem",
        "unknown",
        "xxxxxxxxxx",
        "chassis serial number",
        "invalid",
    }
)

_VIRTUAL_VENDORS = re.compile(
    r"qemu|vmware|innotek|virtualbox|xen|bochs|parallels|kvm|openstack|nutanix|"
    r"google compute|amazon ec2|alibaba cloud|tencent cloud|huawei cloud",
    re.IGNORECASE,
)
_VIRTUAL_PRODUCTS = re.compile(
    r"virtual machine|virtual platform|vmware|kvm|qemu|hvm domu|virtualbox|"
    r"standard pc \(|openstack|cloud server|\becs\b|\bcvm\b",
    re.IGNORECASE,
)


def clean_serial(serial: str | None) -> str | None:
    """The serial number, or None when it is empty or a firmware placeholder."""
    if serial is None:
        return None
    value = serial.strip()
    folded = value.casefold()
    if folded in _PLACEHOLDER_SERIALS or set(folded) <= {"0", " ", "-", "x", "f"}:
        return None
    return value


def machine_type(vendor: str | None, product: str | None, hypervisor: bool | None) -> str | None:
    """``virtual``, ``physical`` or None (unknown), from DMI strings and the hypervisor flag."""
    if (vendor and _VIRTUAL_VENDORS.search(vendor)) or (
        product and _VIRTUAL_PRODUCTS.search(product)
    ):
        return "virtual"
    if hypervisor is True:
        return "virtual"
    if hypervisor is False:
        return "physical"
    return None
