"""Machine models as DMI and registers write them: a brand and a model, together or apart.

Formats read:

* DMI (``dmidecode``, ``/sys/class/dmi/id``): *sys_vendor* ``Dell Inc.`` / *product_name*
  ``PowerEdge R740``; ``HPE`` / ``ProLiant DL380 Gen10``; ``LENOVO`` / ``ThinkSystem SR650
  -[7X06CTO1WW]-``; ``Huawei`` / ``TaiShan 200 (Model 2280)``; ``GreatWall`` / ``长城TN140A2``;
* registers: brand and model in one cell — ``浪潮 NF5270M6``, ``联想 开天 M90J``, ``长城 世恒
  TF830``, ``华为 擎云 L420``, ``Dell R750``, ``HPE ProLiant DL380 Gen10`` — or the brand in its
  own column (品牌/厂商) and the model in another (型号).

:func:`brand_and_model` returns the brand candidates to look up (most specific first: the DMI
vendor, the brand column, then the leading words of the name) and the model with the brand's
words and the DMI noise (``-[7X06CTO1WW]-`` SKU tails, ``To Be Filled By O.E.M.``) removed.
"""

from __future__ import annotations

import re

from xinchuang.catalog.cjk_tokens import half_width

_SKU = re.compile(r"-\[[^\]]*\]-|\(\s*model\s+[^)]*\)", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^(?:to be filled by o\.?e\.?m\.?|system product name|system manufacturer|default string|"
    r"not specified|not applicable|none|n/a|oem|o\.e\.m\.|unknown|x+|-+)$",
    re.IGNORECASE,
)
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])")


def is_placeholder(text: str | None) -> bool:
    """True for the strings firmware writes when it was never told the real value."""
    return not text or _PLACEHOLDER.match(text.strip()) is not None


def brand_and_model(
    name: str,
    vendor: str | None = None,
    dmi_vendor: str | None = None,
    dmi_product: str | None = None,
) -> tuple[list[str], str]:
    """Brand spellings to try (most specific first) and the model text without them."""
    model_text = half_width(
        dmi_product if dmi_product and not is_placeholder(dmi_product) else name
    )
    model_text = " ".join(_CJK_LATIN.sub(" ", _SKU.sub(" ", model_text)).split())
    brands: list[str] = []
    for candidate in (dmi_vendor, vendor):
        if candidate and not is_placeholder(candidate):
            brands.append(half_width(candidate).strip())
    words = model_text.split()
    model = model_text
    if brands:
        for brand in brands:
            if model.casefold().startswith(brand.casefold() + " "):
                model = model[len(brand) :].strip()
                break
    elif len(words) > 1:
        # no brand column: the leading word is the brand ("浪潮 NF5270M6", "Dell R750")
        brands = [words[0], " ".join(words[:2])]
        model = " ".join(words[1:])
    return list(dict.fromkeys(brands)), model
