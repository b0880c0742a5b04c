"""Chinese (and mixed) product names reduced to the words that carry identity.

Registers write a product with words that name its category, its edition or its
packaging around the words that name *it*: ``中标麒麟高级服务器操作系统 V7.0``,
``统信 UOS 服务器操作系统 V20 企业版``, ``东方通应用服务器 TongWeb V7.0``,
``人大金仓数据库管理系统 V8R6``. :func:`identity_text` keeps the identifying part:

* NFKC first, so full-width letters, digits and spaces (``ＵＯＳ　Ｖ２０``) read as half-width;
* generic words are removed wherever they stand, CJK words without word boundaries
  (Chinese has none): category words (操作系统, 数据库管理系统, 数据库, 应用服务器,
  中间件, 服务器, 桌面, 办公软件 …), editions (专业版, 企业版, 标准版, 旗舰版, 高级版 …)
  and packaging (64位, 中文版, 简体中文, 正版, 软件 …);
* spaces between CJK and Latin runs are dropped and put back as one space at every
  CJK↔Latin boundary, so ``统信UOS`` and ``统信 UOS`` read alike.

The removal never empties a name: a name that is nothing but generic words is kept whole
(``服务器`` alone stays ``服务器``; it names no product, and the kernel says so).
"""

from __future__ import annotations

import re
import unicodedata

GENERIC_WORDS: tuple[str, ...] = (
    # categories, longest first so 数据库管理系统 goes before 数据库
    "数据库管理系统",
    "关系型数据库",
    "分布式数据库",
    "高级服务器操作系统",
    "服务器操作系统",
    "桌面操作系统",
    "安全操作系统",
    "操作系统",
    "应用服务器软件",
    "应用服务器",
    "应用中间件",
    "消息中间件",
    "中间件软件",
    "中间件",
    "数据库软件",
    "数据库系统",
    "数据库",
    "办公软件",
    "办公套件",
    "服务器版",
    "桌面版",
    "服务器",
    "桌面",
    # editions
    "专业增强版",
    "专业版",
    "企业版",
    "标准版",
    "旗舰版",
    "高级版",
    "社区版",
    "个人版",
    "家庭版",
    "教育版",
    "基础版",
    "增强版",
    "正式版",
    "试用版",
    # packaging
    "64位",
    "32位",
    "中文版",
    "简体中文版",
    "简体中文",
    "正版",
    "软件",
    "系统",
)
_GENERIC = re.compile("|".join(re.escape(word) for word in GENERIC_WORDS))
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_BOUNDARY = re.compile(f"(?<=[{_CJK}])(?=[^{_CJK}\\s])|(?<=[^{_CJK}\\s])(?=[{_CJK}])")
_SPACE_AT_CJK = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")
_PUNCT_RUNS = re.compile(r"[\s,;:/|()\[\]（）【】、，；：]+")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a CJK ideograph."""
    return _HAS_CJK.search(text) is not None


def half_width(text: str) -> str:
    """NFKC: full-width Latin, digits, punctuation and the ideographic space as ASCII."""
    return unicodedata.normalize("NFKC", text)


def identity_text(text: str) -> str:
    """``text`` without the generic words, spaced once at CJK↔Latin boundaries, casefolded.

    Only names that contain CJK lose words: an English name keeps "Server" or "Desktop",
    which there are part of product names ("Windows Server", "Ubuntu Desktop").
    """
    folded = " ".join(half_width(text).casefold().split())
    if not has_cjk(folded):
        return folded
    joined = _SPACE_AT_CJK.sub("", folded)
    stripped = _GENERIC.sub(" ", joined)
    if not stripped.strip(" -_.,;:/"):
        stripped = joined
    spaced = _BOUNDARY.sub(" ", stripped)
    return " ".join(_PUNCT_RUNS.sub(" ", spaced).split())
