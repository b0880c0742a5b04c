"""What kind of file a path is, from its name (and, for XML and binaries, its first bytes).

A file can be of several kinds at once: ``setup.py`` is Python, a build file
and a pip manifest. Rules name the kinds they read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinchuang.scan.lexer import Language

# Kinds read as text, and the comment syntax of each.
TEXT_KINDS: dict[str, Language] = {
    "c": Language.C,
    "cpp": Language.C,
    "asm": Language.HASH,
    "java": Language.C,
    "kotlin": Language.C,
    "groovy": Language.C,
    "go": Language.C,
    "csharp": Language.C,
    "javascript": Language.C,
    "typescript": Language.C,
    "css": Language.C,
    "python": Language.PYTHON,
    "html": Language.HTML,
    "xml": Language.XML,
    "mapper": Language.XML,
    "sql": Language.SQL,
    "plsql": Language.SQL,
    "build": Language.HASH,
    "cmake": Language.HASH,
    "dockerfile": Language.HASH,
    "shell": Language.HASH,
    "config": Language.HASH,
    "ini": Language.INI,
    "properties": Language.INI,
    "nginx": Language.HASH,
    "batch": Language.BATCH,
    "powershell": Language.POWERSHELL,
    "vba": Language.VB,
    "vbscript": Language.VB,
    "vbnet": Language.VB,
    "msbuild": Language.XML,
    "maven": Language.XML,
    "gradle": Language.C,
    "pip": Language.HASH,
    "npm": Language.PLAIN,
    "go-mod": Language.C,
    "jar-manifest": Language.PLAIN,
    "pem": Language.PLAIN,
    "wheel-meta": Language.PLAIN,
    "text": Language.PLAIN,
}

# Kinds read as bytes.
BINARY_KINDS = frozenset({"elf", "pe", "archive", "wheel", "ole", "ooxml", "der"})

_EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".c": ("c",),
    ".h": ("c", "cpp"),
    ".cc": ("cpp",),
    ".cpp": ("cpp",),
    ".cxx": ("cpp",),
    ".hpp": ("cpp",),
    ".hh": ("cpp",),
    ".hxx": ("cpp",),
    ".inl": ("cpp",),
    ".ipp": ("cpp",),
    ".cu": ("cpp",),
    ".m": ("c",),
    ".mm": ("cpp",),
    ".s": ("asm",),
    ".asm": ("asm",),
    ".nasm": ("asm",),
    ".java": ("java",),
    ".kt": ("kotlin",),
    ".kts": ("kotlin",),
    ".groovy": ("groovy",),
    ".scala": ("java",),
    ".go": ("go",),
    ".cs": ("csharp",),
    ".js": ("javascript",),
    ".mjs": ("javascript",),
    ".cjs": ("javascript",),
    ".jsx": ("javascript",),
    ".ts": ("typescript",),
    ".tsx": ("typescript",),
    ".vue": ("html",),
    ".css": ("css",),
    ".htc": ("html",),
    ".html": ("html",),
    ".htm": ("html",),
    ".xhtml": ("html",),
    ".jsp": ("html",),
    ".jspf": ("html",),
    ".asp": ("html", "vbscript"),
    ".aspx": ("html",),
    ".hta": ("html",),
    ".ftl": ("html",),
    ".vm": ("html",),
    ".php": ("html",),
    ".py": ("python",),
    ".pyx": ("python",),
    ".pxd": ("python",),
    ".pyi": ("python",),
    ".sql": ("sql",),
    ".ddl": ("sql",),
    ".dml": ("sql",),
    ".pks": ("plsql",),
    ".pkb": ("plsql",),
    ".pck": ("plsql",),
    ".pls": ("plsql",),
    ".plb": ("plsql",),
    ".tps": ("plsql",),
    ".tpb": ("plsql",),
    ".trg": ("plsql",),
    ".fnc": ("plsql",),
    ".prc": ("plsql",),
    ".bdy": ("plsql",),
    ".spc": ("plsql",),
    ".vw": ("plsql",),
    ".xml": ("xml",),
    ".xsd": ("xml",),
    ".xsl": ("xml",),
    ".wsdl": ("xml",),
    ".mk": ("build",),
    ".mak": ("build",),
    ".cmake": ("cmake",),
    ".bzl": ("build",),
    ".gradle": ("gradle", "build"),
    ".sh": ("shell",),
    ".bash": ("shell",),
    ".ksh": ("shell",),
    ".zsh": ("shell",),
    ".yml": ("config",),
    ".yaml": ("config",),
    ".toml": ("config",),
    ".conf": ("config",),
    ".cnf": ("config",),
    ".cfg": ("ini",),
    ".ini": ("ini",),
    ".env": ("config",),
    ".properties": ("properties",),
    ".bat": ("batch",),
    ".cmd": ("batch",),
    ".ps1": ("powershell",),
    ".psm1": ("powershell",),
    ".psd1": ("powershell",),
    ".bas": ("vba",),
    ".cls": ("vba",),
    ".frm": ("vba",),
    ".vba": ("vba",),
    ".vbs": ("vbscript",),
    ".vb": ("vbnet",),
    ".csproj": ("msbuild",),
    ".vbproj": ("msbuild",),
    ".vcxproj": ("msbuild", "build"),
    ".props": ("msbuild",),
    ".targets": ("msbuild",),
    ".pem": ("pem",),
    ".crt": ("pem",),
    ".cer": ("pem", "der"),
    ".key": ("pem",),
    ".pub": ("pem",),
    ".csr": ("pem",),
    ".der": ("der",),
    ".so": ("elf",),
    ".o": ("elf",),
    ".a": ("elf",),
    ".ko": ("elf",),
    ".node": ("elf",),
    ".dll": ("pe",),
    ".exe": ("pe",),
    ".sys": ("pe",),
    ".ocx": ("pe",),
    ".pyd": ("pe",),
    ".jar": ("archive",),
    ".war": ("archive",),
    ".ear": ("archive",),
    ".aar": ("archive",),
    ".zip": ("archive",),
    ".nupkg": ("archive",),
    ".whl": ("wheel",),
    ".doc": ("ole",),
    ".dot": ("ole",),
    ".xls": ("ole",),
    ".xlt": ("ole",),
    ".xla": ("ole",),
    ".ppt": ("ole",),
    ".pps": ("ole",),
    ".pot": ("ole",),
    ".docx": ("ooxml",),
    ".docm": ("ooxml",),
    ".dotm": ("ooxml",),
    ".dotx": ("ooxml",),
    ".xlsx": ("ooxml",),
    ".xlsm": ("ooxml",),
    ".xltm": ("ooxml",),
    ".xlam": ("ooxml",),
    ".xlsb": ("ooxml",),
    ".pptx": ("ooxml",),
    ".pptm": ("ooxml",),
    ".ppsm": ("ooxml",),
    ".potm": ("ooxml",),
    ".ppam": ("ooxml",),
}

_NAMES: dict[str, tuple[str, ...]] = {
    "makefile": ("build",),
    "gnumakefile": ("build",),
    "makefile.am": ("build",),
    "makefile.in": ("build",),
    "configure.ac": ("build",),
    "configure.in": ("build",),
    "meson.build": ("build",),
    "build": ("build",),
    "build.bazel": ("build",),
    "cmakelists.txt": ("cmake",),
    "setup.py": ("python", "build", "pip"),
    "setup.cfg": ("ini", "build", "pip"),
    "pyproject.toml": ("config", "build", "pip"),
    "dockerfile": ("dockerfile",),
    "containerfile": ("dockerfile",),
    "pom.xml": ("maven",),
    "build.gradle": ("gradle", "build"),
    "build.gradle.kts": ("gradle", "build"),
    "settings.gradle": ("gradle",),
    "package.json": ("npm",),
    "go.mod": ("go-mod",),
    "pipfile": ("pip",),
    "manifest.mf": ("jar-manifest",),
    "nginx.conf": ("nginx", "config"),
    "server.xml": ("xml",),
    "packages.config": ("msbuild",),
    "web.config": ("msbuild", "xml"),
    "app.config": ("msbuild", "xml"),
    "java.security": ("properties",),
    "wheel": ("wheel-meta",),
}

_REQUIREMENTS = re.compile(r"^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$")
_DOCKERFILE = re.compile(
    r"^(?:dockerfile[\w.-]*|[\w.-]+\.dockerfile|[\w.-]*compose[\w.-]*\.ya?ml)$"
)
_VERSIONED_SO = re.compile(r"\.so(?:\.\d+)+$")
_MAPPER_HINT = re.compile(rb"<mapper\b|<sqlMap\b|mybatis|ibatis", re.IGNORECASE)


@dataclass(frozen=True)
class FileKind:
    """The kinds of one file and the language its text is lexed as."""

    kinds: frozenset[str]
    language: Language

    @property
    def binary(self) -> bool:
        """True when the file is read as bytes (binaries, archives, documents)."""
        return bool(self.kinds & BINARY_KINDS)


def kinds_for(name: str) -> tuple[str, ...]:
    """The kinds a file name alone implies (empty when unknown)."""
    lower = name.rsplit("/", 1)[-1].lower()
    if lower in _NAMES:
        return _NAMES[lower]
    if _REQUIREMENTS.match(lower):
        return ("pip",)
    if _DOCKERFILE.match(lower):
        return ("dockerfile", "config") if lower.endswith(("yml", "yaml")) else ("dockerfile",)
    if _VERSIONED_SO.search(lower):
        return ("elf",)
    dot = lower.rfind(".")
    if dot < 0:
        return ()
    return _EXTENSIONS.get(lower[dot:], ())


def refine(kinds: tuple[str, ...], head: bytes) -> tuple[str, ...]:
    """Adjust kinds from the first bytes: mapper XML, ELF/PE files with odd names."""
    if head.startswith(b"\x7fELF"):
        return ("elf",)
    if head.startswith(b"MZ") and ("pe" in kinds or not kinds):
        return ("pe",)
    if "xml" in kinds and _MAPPER_HINT.search(head):
        return (*kinds, "mapper")
    return kinds


def language_of(kinds: tuple[str, ...] | frozenset[str]) -> Language:
    """The comment syntax of the first text kind (plain text when none)."""
    for kind in kinds:
        language = TEXT_KINDS.get(kind)
        if language is not None:
            return language
    return Language.PLAIN
