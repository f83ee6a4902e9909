#!/usr/bin/env python3
# fetch-src8.py - make the benign8/ tool lists of MCP servers written in
# Rust, C#, Java and Kotlin by reading their source statically: nothing
# is run, built, imported or evaluated; only string literals (with "+"
# concatenation, Rust's concat!(), raw and verbatim strings, Java text
# blocks, Kotlin's """...""".trimIndent() / .trimMargin(), C#'s nameof())
# and constants bound to such literals are taken as text.
#
# Each server is a snapshot of its public GitHub repository, a bare git
# directory at $MIRROR/OWNER+REPO/repo (MIRROR defaults to /work/.mirror),
# read at its HEAD with git ls-tree and git show, as fetch-src.py does.
# The table SERVERS below names each server's files; the output is one
# JSON file a server, in fetch-src.py's format:
#   {"source", "poisoned": [], "instructions", "tools", "resources",
#    "prompts"}
#
# Run (python3, standard library only, git on PATH):
#   python3 tests/data/poison/fetch-src8.py OUTDIR [NAME...]
#
# Rust (the official rmcp SDK): a method with #[tool(...)] (name: name=,
# else the method's name; description: description=, else its ///
# doc comment lines, each trimmed, empty ones dropped, joined by "\n", as
# rmcp-macros does); its parameters from Parameters<T> (or #[tool(aggr)]
# T): the struct T's fields, a field's description from
# #[schemars(description = ...)] else its /// doc comment merged as
# schemars does (lines of a paragraph joined by a space, paragraphs by a
# blank line); serde rename / rename_all / default / skip / flatten
# honoured roughly.  Tool { name, description, input_schema: json!(...) }
# literals and Tool::new("name", "description", ...) (json! read as JSON
# where literal).  rust-mcp-sdk's #[mcp_tool(name=..., description=...)]
# on a struct (its fields the parameters).  A table of catalog entries
# (biomcp: ToolCatalogEntry { name, description }) where named.
#
# C# (the official ModelContextProtocol SDK): a method with
# [McpServerTool(Name = ...)] (else the method's name, an "Async" suffix
# dropped, in snake_case, as the SDK does) and [Description("...")]; its
# parameters with [Description("...")] (injected services left out:
# CancellationToken, McpServer, RequestContext, IProgress, ILogger,
# HttpClient, interfaces I..., [FromServices]); required unless it has a
# default value.  [McpServerPrompt] likewise; [McpServerResource] with a
# fixed UriTemplate.
#
# Java: Spring AI's and the Jenkins plugin's @Tool(name=..., description=
# ...) and Quarkus MCP's @Tool(...) methods (name: name=, else the
# method's name); parameters from @ToolParam(description=, required=) /
# @ToolArg(description=, required=) (others of simple types kept without
# description; framework types left out); Quarkus @Prompt / @Resource.
# A builder (SonarQube's SchemaToolBuilder): .setName(X).setDescription(Y)
# .addStringProperty(n, d) ... in one statement.
#
# Kotlin: classes with override val name = "..." and override val
# description = """...""".trimIndent() (JetBrains' mcp-server-plugin),
# their arguments from the data class named in AbstractMcpTool<T> (names
# and types only: no descriptions there).
#
# TypeScript / JavaScript (the official SDK): server.tool("name",
# "description", {zod shape} | schema.shape, ...), server.registerTool(
# "name", {description, inputSchema}), server.prompt(...), a bare tool(...)
# wrapper where named ("bare"; "titled": name, title, description), and
# object literals { name (or method), description, inputSchema | schema |
# parameters | args } (a zod shape, z.object(...), zodToJsonSchema(X), an
# identifier bound to one, or a JSON-schema literal); a zod property's
# type from z.string() etc., its text from .describe("..."), optional
# from .optional() / .default() / .nullish().  Template literals are text
# when each ${...} is a constant bound to a literal; TS enums' members
# bound to literals are constants.
#
# C# extras: [AiTool("name")] / [AiPrompt(Name=...)] (IvanMurzak/Unity-MCP,
# "aitool"), items marked Enabled = false left out; classes with override
# string Name => ...; Description => ...; and GetInputSchema() returning
# JsonDocument.Parse(<JSON literal>) ("props", the Aspire CLI).  Rust
# extras: json!({"tools": [...]}) listings ("jsontools", turso).  Java
# extras: McpSchema.Tool.builder().name(..).description(..).inputSchema(
# SchemaUtil.builder().requiredStringProperty(n, d)...) ("toolbuilder").
#
# Limits: a tool registered dynamically or with computed text is missed
# (counted in the notes printed); schemas are approximate (helpers that
# add parameters, schemas built from maps or by functions, are left out
# and the notes say so); tests, examples, samples and benchmarks skipped.

import json
import os
import re
import subprocess
import sys

MIRROR = os.environ.get("MIRROR", "/work/.mirror")

SERVERS = []


def S(name, repo, lang, paths, skip=(), modes=()):
    SERVERS.append((name, repo, lang, list(paths), list(skip), list(modes)))


SKIP_RE = re.compile(
    r"(^|/)(tests?|Tests?|testing|testdata|test_utils|e2e|examples?|samples?|"
    r"docs?|vendor|third_party|node_modules|benchmarks?|benches|evals?|\.github|"
    r"playground|fixtures?)(/|$)"
    r"|(^|/)[^/]*[Tt]ests?\.(cs|java|kt)$|_tests?\.rs$|(^|/)tests?\.rs$"
    r"|(^|/)[^/]*\.Tests?(/|$)|(^|/)src/test(/|$)"
    r"|\.(test|spec)\.[mc]?[jt]s$|\.d\.ts$|(^|/)(dist|build|__tests__|__mocks__)(/|$)")

EXT = {"rs": ".rs", "cs": ".cs", "java": ".java", "kt": ".kt", "ts": ".ts"}


def git(repo, *args):
    gd = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    return subprocess.run(["git", "--git-dir=" + gd] + list(args),
                          check=True, capture_output=True).stdout


def repo_files(repo, lang, paths, skip):
    exts = (EXT[lang],) if lang not in ("java", "ts") else (
        (".java", ".kt") if lang == "java" else (".ts", ".mts", ".js", ".mjs"))
    names = git(repo, "ls-tree", "-r", "HEAD", "--name-only",
                "-z").decode("utf-8").split("\0")
    out = []
    for n in sorted(names):
        if not n.endswith(exts):
            continue
        if not any(p == "" or n == p or n.startswith(p.rstrip("/") + "/")
                   for p in paths):
            continue
        rel = n
        for p in paths:
            if p and n.startswith(p.rstrip("/") + "/"):
                rel = n[len(p.rstrip("/")) + 1:]
        if SKIP_RE.search(rel):
            continue
        if any(re.search(s, n) for s in skip):
            continue
        out.append(n)
    return out


# ====================================================================
# tokenizer (C-like languages)
# ====================================================================

class Tok:
    __slots__ = ("k", "v", "line", "interp")

    def __init__(self, k, v, line, interp=False):
        self.k, self.v, self.line, self.interp = k, v, line, interp

    def __repr__(self):
        return "%s:%r" % (self.k, self.v)


ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'",
       "0": "\0", "b": "\b", "f": "\f", "s": " ", "$": "$", "a": "\a",
       "v": "\v", "e": "\x1b"}


def unescape(s, lang):
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = s[i + 1]
        if d == "\n" and lang in ("rs", "java"):
            # Rust: line continuation skips following whitespace;
            # Java text block: no line terminator
            i += 2
            if lang == "rs":
                while i < n and s[i] in " \t\r\n":
                    i += 1
            continue
        if d == "u":
            if i + 2 < n and s[i + 2] == "{":
                j = s.index("}", i)
                out.append(chr(int(s[i + 3:j], 16)))
                i = j + 1
                continue
            j = i + 2
            while j < n and s[j] == "u":
                j += 1
            out.append(chr(int(s[j:j + 4], 16)))
            i = j + 4
            continue
        if d == "x":
            m = re.match(r"[0-9a-fA-F]{1,4}" if lang == "cs" else
                         r"[0-9a-fA-F]{2}", s[i + 2:])
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
            continue
        if d == "U" and lang == "cs":
            out.append(chr(int(s[i + 2:i + 10], 16)))
            i += 10
            continue
        out.append(ESC.get(d, d))
        i += 2
    return "".join(out)


def java_text_block(body):
    # body: text after the opening """ and its line terminator, up to the
    # closing """ (JLS 3.10.6: strip incidental whitespace, then escapes)
    lines = body.split("\n")
    last_blank = lines[-1].strip() == ""
    sig = [l for l in lines[:-1] if l.strip()] + [lines[-1]]
    ind = min((len(l) - len(l.lstrip(" \t")) for l in sig), default=0) \
        if sig else 0
    out = []
    for k, l in enumerate(lines):
        if k == len(lines) - 1 and last_blank:
            out.append("")
            continue
        out.append(l[ind:].rstrip(" \t") if l.strip() else "")
    return unescape("\n".join(out), "java")


def kt_has_template(s):
    return re.search(r"\$[A-Za-z_{]", s) is not None


def cs_raw(body, quotes):
    # C# raw string literal: multi-line ones drop the first and last
    # line and the closing line's indentation from every line
    if "\n" not in body:
        return body
    lines = body.split("\n")
    first, last = lines[0], lines[-1]
    if first.strip() or last.strip():
        return body
    ind = last
    out = []
    for l in lines[1:-1]:
        out.append(l[len(ind):] if l.startswith(ind) else l.lstrip(" \t"))
    return "\n".join(out)


def skip_braces(src, j):
    """index after the } matching the { at j, skipping nested strings."""
    d = 0
    n = len(src)
    while j < n:
        c = src[j]
        if c == "{":
            d += 1
        elif c == "}":
            d -= 1
            if d == 0:
                return j + 1
        elif c == '"':
            j += 1
            while j < n and src[j] != '"':
                if src[j] == "\\":
                    j += 1
                elif src[j] == "{" and src[j - 1] in "$":
                    j = skip_braces(src, j) - 1
                j += 1
        elif c == "'" and j + 2 < n and (src[j + 2] == "'" or src[j + 1] == "\\"):
            j = src.index("'", j + 2)
        j += 1
    return n


def tokenize(src, lang):
    toks = []
    i, n, line = 0, len(src), 1
    idre = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
    numre = re.compile(r"[0-9][0-9A-Za-z_.]*")
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            continue
        if c in " \t\r\f\ufeff":
            i += 1
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            if lang == "rs" and src.startswith("///", i) \
                    and not src.startswith("////", i):
                toks.append(Tok("doc", src[i + 3:j], line))
            i = j
            continue
        if src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j) and lang in ("rs", "kt"):
                    depth += 1
                    j += 2
                elif src.startswith("*/", j):
                    depth -= 1
                    j += 2
                else:
                    j += 1
            if lang == "rs" and src.startswith("/**", i) \
                    and not src.startswith("/***", i) \
                    and not src.startswith("/**/", i):
                for dl in src[i + 3:j - 2].split("\n"):
                    toks.append(Tok("doc", re.sub(r"^\s*\*?", "", dl), line))
            line += src.count("\n", i, j)
            i = j
            continue
        # --- strings ---
        if lang == "rs":
            m = re.match(r'b?r(#*)"', src[i:i + 40])
            if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
                hashes = m.group(1)
                start = i + m.end()
                end = src.index('"' + hashes, start)
                toks.append(Tok("str", src[start:end], line))
                line += src.count("\n", i, end)
                i = end + 1 + len(hashes)
                continue
            if c == "b" and src.startswith('b"', i) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
                i += 1
                c = '"'
            if c == "'":
                if i + 1 < n and src[i + 1] == "\\":
                    j = src.index("'", i + 3)
                    toks.append(Tok("chr", unescape(src[i + 1:j], lang), line))
                    i = j + 1
                    continue
                if i + 2 < n and src[i + 2] == "'":
                    toks.append(Tok("chr", src[i + 1], line))
                    i += 3
                    continue
                toks.append(Tok("p", "'", line))
                i += 1
                continue
        if lang == "cs" and c == "$":
            m = re.match(r'\$+(?=""")', src[i:i + 12])
            if m:
                i += m.end()
                continue
        if lang == "ts" and c in "'\"`":
            j = i + 1
            interp = False
            segs, last = [], i + 1
            while src[j] != c:
                if src[j] == "\\":
                    j += 2
                elif c == "`" and src.startswith("${", j):
                    segs.append(("s", unescape(src[last:j], lang)))
                    k2 = skip_braces(src, j + 1)
                    segs.append(("e", src[j + 2:k2 - 1]))
                    interp = True
                    j = last = k2
                else:
                    j += 1
            raw = src[i + 1:j]
            if interp:
                segs.append(("s", unescape(src[last:j], lang)))
                toks.append(Tok("str", "", line, segs))
            else:
                toks.append(Tok("str", unescape(raw, lang), line, False))
            line += src.count("\n", i, j)
            i = j + 1
            continue
        if lang == "ts" and c == "/" and toks and (
                (toks[-1].k == "p" and toks[-1].v in "(,=:[!&|?{};+-*%<>~^")
                or (toks[-1].k == "id" and toks[-1].v in ("return", "typeof", "case", "in", "of"))):
            j = i + 1
            incls = False
            while j < n and src[j] != "\n":
                if src[j] == "\\":
                    j += 2
                    continue
                if src[j] == "[":
                    incls = True
                elif src[j] == "]":
                    incls = False
                elif src[j] == "/" and not incls:
                    break
                j += 1
            j += 1
            while j < n and src[j].isalpha():
                j += 1
            toks.append(Tok("re", src[i:j], line))
            i = j
            continue
        if lang in ("java", "kt", "cs") and src.startswith('"""', i):
            if lang == "cs":
                m = re.match(r'"{3,}', src[i:])
                q = m.group(0)
                start = i + len(q)
                end = src.index(q, start)
                body = src[start:end]
                interp = False
                if i > 0 and src[i - 1] == "$":
                    interp = "{" in body
                toks.append(Tok("str", cs_raw(body, q), line, interp))
                line += src.count("\n", i, end)
                i = end + len(q)
                continue
            start = i + 3
            end = src.index('"""', start)
            while end + 3 < n and src[end + 3] == '"':
                end += 1
            body = src[start:end]
            if lang == "java":
                nl = body.find("\n")
                toks.append(Tok("str", java_text_block(body[nl + 1:]), line))
            else:
                toks.append(Tok("str", body, line, kt_has_template(body)))
            line += src.count("\n", i, end)
            i = end + 3
            continue
        if lang == "cs" and (src.startswith('@"', i) or src.startswith('$@"', i)
                             or src.startswith('@$"', i)):
            pre = 2 if src[i] == "@" and src[i + 1] == '"' else 3
            interp = "$" in src[i:i + pre]
            j = i + pre
            buf = []
            while True:
                if interp and src[j] == "{" and src[j + 1] != "{":
                    k2 = skip_braces(src, j)
                    buf.append(src[j:k2])
                    j = k2
                    continue
                if src[j] == '"':
                    if j + 1 < n and src[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(src[j])
                j += 1
            body = "".join(buf)
            toks.append(Tok("str", body, line, interp and re.search(r"\{[^{]", body) is not None))
            line += src.count("\n", i, j)
            i = j + 1
            continue
        if c == '"' or (lang == "cs" and src.startswith('$"', i)):
            interp = False
            if c == "$":
                interp = True
                i += 1
            j = i + 1
            while src[j] != '"':
                if src[j] == "\\":
                    j += 2
                elif (lang == "cs" and interp and src[j] == "{"
                      and src[j + 1] != "{") or (lang == "kt"
                                                and src.startswith("${", j)):
                    j = skip_braces(src, src.index("{", j))
                elif lang == "cs" and interp and src.startswith("{{", j):
                    j += 2
                else:
                    j += 1
            raw = src[i + 1:j]
            if lang == "kt":
                interp = kt_has_template(raw)
            if lang == "cs" and interp:
                interp = re.search(r"(^|[^{])\{[^{]", raw) is not None
                raw = raw.replace("{{", "{").replace("}}", "}")
            toks.append(Tok("str", unescape(raw, lang), line, interp))
            line += src.count("\n", i, j)
            i = j + 1
            continue
        if c == "'" and lang in ("java", "kt", "cs"):
            j = i + 1
            while src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("chr", unescape(src[i + 1:j], lang), line))
            i = j + 1
            continue
        m = idre.match(src, i)
        if m:
            toks.append(Tok("id", m.group(0), line))
            i = m.end()
            continue
        m = numre.match(src, i)
        if m:
            toks.append(Tok("num", m.group(0), line))
            i = m.end()
            continue
        if lang == "rs" and src.startswith("::", i):
            toks.append(Tok("p", "::", line))
            i += 2
            continue
        if src.startswith("->", i) or src.startswith("=>", i):
            toks.append(Tok("p", src[i:i + 2], line))
            i += 2
            continue
        if src.startswith("==", i) or src.startswith("!=", i) \
                or src.startswith("+=", i) or src.startswith("<=", i) \
                or src.startswith(">=", i):
            toks.append(Tok("p", src[i:i + 2], line))
            i += 2
            continue
        toks.append(Tok("p", c, line))
        i += 1
    toks.append(Tok("eof", "", line + 1))
    return toks


OPEN = {"(": ")", "[": "]", "{": "}"}


def match(toks, i):
    """index of the bracket closing toks[i] ((, [ or {)."""
    o = toks[i].v
    c = OPEN[o]
    d = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.k == "p":
            if t.v in OPEN:
                d += 1
            elif t.v in (")", "]", "}"):
                d -= 1
                if d == 0:
                    return j
    return len(toks) - 1


def match_angle(toks, i):
    d = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.k == "p" and t.v == "<":
            d += 1
        elif t.k == "p" and t.v == ">":
            d -= 1
            if d == 0:
                return j
        elif t.k == "p" and t.v in (";", "{", "}"):
            return j
    return len(toks) - 1


def split_top(toks, a, b):
    """split toks[a:b] at top-level commas -> [(start, end)]."""
    parts, d, s = [], 0, a
    for j in range(a, b):
        t = toks[j]
        if t.k == "p":
            if t.v in OPEN:
                d += 1
            elif t.v in (")", "]", "}"):
                d -= 1
            elif t.v == "<":
                pass
            elif t.v == "," and d == 0:
                parts.append((s, j))
                s = j + 1
    if s < b:
        parts.append((s, b))
    return parts


# ====================================================================
# text of an expression
# ====================================================================

class Consts:
    def __init__(self):
        self.by_file = {}
        self.glob = {}

    def add(self, f, key, val):
        d = self.by_file.setdefault(f, {})
        if key in d and d[key] != val:
            d[key] = None
        else:
            d[key] = val
        if key in self.glob and self.glob[key] != val:
            self.glob[key] = None
        else:
            self.glob.setdefault(key, val)

    def get(self, f, key):
        d = self.by_file.get(f, {})
        if key in d:
            return d[key]
        return self.glob.get(key)


def trim_indent(s):
    lines = s.split("\n")
    nb = [l for l in lines if l.strip()]
    ind = min((len(l) - len(l.lstrip()) for l in nb), default=0)
    out = []
    for k, l in enumerate(lines):
        if (k == 0 or k == len(lines) - 1) and not l.strip():
            continue
        out.append(l[ind:] if l.strip() else l[ind:] if len(l) > ind else "")
    return "\n".join(out)


def trim_margin(s, prefix="|"):
    lines = s.split("\n")
    out = []
    for k, l in enumerate(lines):
        if (k == 0 or k == len(lines) - 1) and not l.strip():
            continue
        st = l.lstrip()
        out.append(st[len(prefix):] if st.startswith(prefix) else l)
    return "\n".join(out)


POSTFIX_ID = {"trimEnd", "trimStart", "to_string", "to_owned", "into", "trimIndent", "trimMargin",
              "stripIndent", "strip", "trim", "trim_end", "trim_start", "as_str",
              "as_ref", "translateEscapes"}
WRAP_ID = {"Some", "String", "Cow", "Borrowed", "from", "Owned", "new",
           "SmolStr", "Arc", "Box", "into"}


class Ctx:
    def __init__(self, lang, consts, fname):
        self.lang, self.consts, self.fname = lang, consts, fname


def text_at(toks, i, cx):
    """(text or None, index after the expression)."""
    s, j = atom(toks, i, cx)
    if s is None:
        return None, j
    while toks[j].k == "p" and toks[j].v == "+":
        s2, j = atom(toks, j + 1, cx)
        if s2 is None:
            return None, j
        s += s2
    return s, j


def atom(toks, i, cx):
    t = toks[i]
    lang = cx.lang
    s, j = None, i + 1
    if t.k == "p" and t.v == "(":
        e = match(toks, i)
        s, k = text_at(toks, i + 1, cx)
        if s is None or k != e:
            return None, e + 1
        j = e + 1
    elif t.k == "str":
        if isinstance(t.interp, list):
            # a template whose every ${...} is a constant bound to a literal
            parts = []
            for kind, v in t.interp:
                if kind == "s":
                    parts.append(v)
                    continue
                v = v.strip()
                if not re.match(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$", v):
                    return None, i + 1
                c = cx.consts.get(cx.fname, v)
                if c is None:
                    c = cx.consts.get(cx.fname, v.split(".")[-1]) if "." not in v else None
                if c is None:
                    return None, i + 1
                parts.append(c)
            s = "".join(parts)
        elif t.interp:
            return None, i + 1
        else:
            s = t.v
    elif t.k == "id" and lang == "rs" and t.v == "concat" \
            and toks[i + 1].v == "!" and toks[i + 2].v in ("(", "["):
        e = match(toks, i + 2)
        parts = []
        for a, b in split_top(toks, i + 3, e):
            p, k = text_at(toks, a, cx)
            if p is None or k != b:
                return None, e + 1
            parts.append(p)
        if not parts:
            return None, e + 1
        s, j = "".join(parts), e + 1
    elif t.k == "id" and lang == "rs" and t.v == "indoc" \
            and toks[i + 1].v == "!" and toks[i + 2].v in ("(", "{"):
        e = match(toks, i + 2)
        p, k = text_at(toks, i + 3, cx)
        if p is None or k != e:
            return None, e + 1
        s, j = indoc(p), e + 1
    elif t.k == "id" and lang == "cs" and t.v == "nameof" and toks[i + 1].v == "(":
        e = match(toks, i + 1)
        s, j = toks[e - 1].v, e + 1
    elif t.k == "id":
        # a wrapper: Some(x), Cow::Borrowed(x), String::from(x), ...
        k = i
        path = [t.v]
        while toks[k + 1].k == "p" and toks[k + 1].v in ("::", ".") \
                and toks[k + 2].k == "id":
            k += 2
            path.append(toks[k].v)
        if toks[k + 1].k == "p" and toks[k + 1].v == "(":
            if all(p in WRAP_ID for p in path):
                e = match(toks, k + 1)
                s, m = text_at(toks, k + 2, cx)
                if s is not None and toks[m].v == "," and m + 1 == e:
                    m = e
                if s is None or m != e:
                    return None, e + 1
                j = e + 1
            else:
                return None, k + 1
        else:
            name = path[-1]
            s = cx.consts.get(cx.fname, ".".join(path))
            if s is None:
                s = cx.consts.get(cx.fname, name)
            if s is None:
                return None, k + 1
            j = k + 1
    else:
        return None, i + 1
    # postfix
    while toks[j].k == "p" and toks[j].v == "." and toks[j + 1].k == "id" \
            and toks[j + 1].v in POSTFIX_ID:
        f = toks[j + 1].v
        j += 2
        arg = None
        if toks[j].k == "p" and toks[j].v == "(":
            e = match(toks, j)
            if e > j + 1:
                arg, _ = text_at(toks, j + 1, cx)
                if arg is None:
                    return None, e + 1
            j = e + 1
        if f == "trimIndent":
            s = trim_indent(s)
        elif f == "trimMargin":
            s = trim_margin(s, arg or "|")
        elif f in ("strip", "trim"):
            s = s.strip()
        elif f in ("trim_end", "trimEnd"):
            s = s.rstrip()
        elif f in ("trim_start", "trimStart"):
            s = s.lstrip()
        elif f == "stripIndent":
            s = java_text_block(s + "\n") if "\n" in s else s
    return s, j


def indoc(s):
    lines = s.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    nb = [l for l in lines if l.strip()]
    ind = min((len(l) - len(l.lstrip()) for l in nb), default=0)
    return "\n".join(l[ind:] for l in lines)


def expr_text(toks, a, b, cx):
    """text of the whole expression toks[a:b], or None."""
    if a < b and toks[b - 1].k == "p" and toks[b - 1].v == ",":
        b -= 1
    if a >= b:
        return None
    s, j = text_at(toks, a, cx)
    if s is None or j != b:
        return None
    return s


CONST_KW = {"const", "static", "final", "val", "readonly", "let", "var"}


def collect_consts(toks, cx):
    """NAME = <literal text> after const/static/final/val/... """
    out = []
    for i, t in enumerate(toks):
        if cx.lang in ("ts", "cs", "java") and t.k == "id" and t.v == "enum" \
                and toks[i + 1].k == "id" and toks[i + 2].v == "{":
            e = match(toks, i + 2)
            for a, b2 in split_top(toks, i + 3, e):
                if b2 - a >= 3 and toks[a].k == "id" and toks[a + 1].v == "=":
                    v = expr_text(toks, a + 2, b2, cx)
                    if v is not None:
                        out.append((toks[i + 1].v + "." + toks[a].v, v))
            continue
        if not (t.k == "p" and t.v == "="):
            continue
        # walk back within the statement
        b = i - 1
        kw = False
        name = None
        colon = None
        k = i - 1
        steps = 0
        while k >= 0 and steps < 12:
            tk = toks[k]
            if tk.k == "p" and tk.v in (";", "{", "}", "(", ")", ","):
                break
            if tk.k == "id" and tk.v in CONST_KW:
                kw = True
            if tk.k == "p" and tk.v == ":" and colon is None:
                colon = k
            k -= 1
            steps += 1
        if not kw:
            continue
        if colon is not None and toks[colon - 1].k == "id":
            name = toks[colon - 1].v
        elif toks[b].k == "id":
            name = toks[b].v
        if not name:
            continue
        if cx.lang == "ts" and toks[i + 1].v == "{":
            e = match(toks, i + 1)
            for a, b2 in split_top(toks, i + 2, e):
                if b2 - a >= 3 and toks[a].k in ("id", "str") and toks[a + 1].v == ":":
                    v = expr_text(toks, a + 2, b2, cx)
                    if v is not None:
                        out.append((name + "." + toks[a].v, v))
            continue
        # the expression: up to ; or a new line (Kotlin) at depth 0
        j = i + 1
        s, e = text_at(toks, j, cx)
        if s is None:
            continue
        if toks[e].k == "p" and toks[e].v in (";", ",", ")", "}") \
                or toks[e].line > toks[e - 1].line or toks[e].k == "eof":
            out.append((name, s))
    return out


# ====================================================================
# schema helpers
# ====================================================================

def jtype(tn):
    tl = tn.lower().lstrip("&").replace("'static", "")
    if tl in ("string", "str", "char", "pathbuf", "path", "uuid", "guid",
              "datetime", "datetimeoffset", "url", "uri", "cow", "charsequence",
              "localdate", "instant", "timespan", "smolstr", "arc<str>"):
        return "string"
    if tl in ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32",
              "u64", "u128", "usize", "int", "integer", "long", "short", "byte",
              "uint", "ulong", "ushort", "sbyte", "nonzerou32", "nonzerousize",
              "nonzerou64", "biginteger"):
        return "integer"
    if tl in ("f32", "f64", "float", "double", "decimal", "number", "bigdecimal"):
        return "number"
    if tl in ("bool", "boolean"):
        return "boolean"
    if tl in ("vec", "list", "ienumerable", "ilist", "ireadonlylist",
              "icollection", "ireadonlycollection", "set", "hashset",
              "btreeset", "array", "collection", "indexset", "vecdeque"):
        return "array"
    if tl in ("hashmap", "btreemap", "map", "dictionary", "idictionary",
              "ireadonlydictionary", "value", "jsonelement", "jsonnode",
              "jsonobject", "object", "indexmap", "jsonvalue", "jsondocument"):
        return "object"
    return None


def type_of(toks, a, b):
    """(json type, optional?) of a type written in toks[a:b]."""
    ids = [t.v for t in toks[a:b] if t.k == "id" and t.v not in ("mut", "dyn", "impl", "crate", "std", "collections", "serde_json", "java", "util", "System", "Collections", "Generic")]
    ps = [t.v for t in toks[a:b] if t.k == "p"]
    opt = False
    while ids and ids[0] in ("Option", "Optional", "Nullable"):
        opt = True
        ids = ids[1:]
    if "?" in ps:
        opt = True
    if "[" in ps and ids and ps.count("[") and toks[b - 1].v == "]":
        return "array", opt
    for x in ids[:1]:
        jt = jtype(x)
        if jt:
            return jt, opt
        return None, opt
    return None, opt


# ====================================================================
# Rust
# ====================================================================

def rust_doc_rmcp(lines):
    out = [l.strip() for l in lines if l.strip()]
    return "\n".join(out) if out else None


def rust_doc_schemars(lines):
    doc = "\n".join(l[1:] if l.startswith(" ") else l for l in lines)
    lines2 = [l.strip() for l in doc.split("\n")]
    while lines2 and not lines2[0]:
        lines2.pop(0)
    while lines2 and not lines2[-1]:
        lines2.pop()
    if not lines2:
        return None
    doc = "\n".join(lines2)
    title = None
    if doc.startswith("#"):
        first, _, rest = doc.partition("\n")
        title = first.lstrip("#").strip()
        doc = rest
    paras = [p.strip().replace("\n", " ") for p in doc.strip().split("\n\n")]
    desc = "\n\n".join(p for p in paras if p)
    return desc or None


def case_rename(name, rule):
    words = [w for w in name.split("_") if w != ""]
    if rule == "camelCase":
        return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:]) if words else name
    if rule == "PascalCase":
        return "".join(w[:1].upper() + w[1:] for w in words)
    if rule == "kebab-case":
        return name.replace("_", "-")
    if rule == "lowercase":
        return name.lower()
    if rule == "UPPERCASE" or rule == "SCREAMING_SNAKE_CASE":
        return name.upper()
    return name


def attr_block_back(toks, k):
    """start of the run of #[...] attributes and /// docs ending before k."""
    b = k
    while b > 0:
        t = toks[b - 1]
        if t.k == "doc":
            b -= 1
            continue
        if t.k == "p" and t.v == "]":
            # find the matching [ backwards
            d = 0
            j = b - 1
            while j >= 0:
                if toks[j].k == "p" and toks[j].v == "]":
                    d += 1
                elif toks[j].k == "p" and toks[j].v == "[":
                    d -= 1
                    if d == 0:
                        break
                j -= 1
            if j > 0 and toks[j - 1].v == "#":
                b = j - 1
                continue
            if j > 1 and toks[j - 1].v == "!" and toks[j - 2].v == "#":
                break
        break
    return b


def parse_kv(toks, a, b, cx):
    """key = value pairs (and positional values) of an attribute."""
    kv, pos = {}, []
    for s, e in split_top(toks, a, b):
        if e - s >= 2 and toks[s].k == "id" and toks[s + 1].v == "=" \
                and not (toks[s + 2].v == "=" if s + 2 < e else False):
            kv[toks[s].v] = (s + 2, e)
        else:
            pos.append((s, e))
    return kv, pos


class RustIndex:
    def __init__(self, files):
        self.files = files  # [(path, toks, cx)]
        self.structs = {}
        self.enums = set()
        for path, toks, cx in files:
            for i, t in enumerate(toks):
                if t.k == "id" and t.v in ("struct", "enum") and toks[i + 1].k == "id":
                    nm = toks[i + 1].v
                    if t.v == "enum":
                        self.enums.add(nm)
                        continue
                    j = i + 2
                    if toks[j].v == "<":
                        j = match_angle(toks, j) + 1
                    while toks[j].k == "id" and toks[j].v == "where":
                        while toks[j].v not in ("{", ";"):
                            j += 1
                    if toks[j].v == "{":
                        self.structs.setdefault(nm, (path, toks, cx, attr_block_back(toks, i if toks[i - 1].v != "pub" else i - 1), j))
                    elif toks[j].v == "(" and nm not in self.structs:
                        # newtype: struct X(Inner)
                        e = match(toks, j)
                        inner = [x.v for x in toks[j + 1:e] if x.k == "id" and x.v != "pub"]
                        if len(inner) == 1:
                            self.structs.setdefault(nm, ("newtype", inner[0]))

    def schema(self, name, depth=0):
        st = self.structs.get(name)
        if st is None or depth > 3:
            return None
        if st[0] == "newtype":
            return self.schema(st[1], depth + 1)
        path, toks, cx, ab, ob = st
        # struct-level attributes
        rename_all, all_default = None, False
        for i in range(ab, ob):
            if toks[i].k == "id" and toks[i].v == "serde" and toks[i + 1].v == "(":
                e = match(toks, i + 1)
                kv, pos = parse_kv(toks, i + 2, e, cx)
                if "rename_all" in kv:
                    rename_all = expr_text(toks, *kv["rename_all"], cx)
                for s, e2 in pos:
                    if toks[s].v == "default":
                        all_default = True
                if "default" in kv:
                    all_default = True
        cb = match(toks, ob)
        props, req = {}, []
        for s, e in split_top(toks, ob + 1, cb):
            docs, desc, rename, dflt, skip, flatten = [], None, None, False, False, False
            k = s
            while k < e:
                t = toks[k]
                if t.k == "doc":
                    docs.append(t.v)
                    k += 1
                    continue
                if t.v == "#" and toks[k + 1].v == "[":
                    ae = match(toks, k + 1)
                    an = toks[k + 2].v
                    if toks[k + 3].v == "(":
                        pe = match(toks, k + 3)
                        kv, pos = parse_kv(toks, k + 4, pe, cx)
                        if an == "schemars" and "description" in kv:
                            desc = expr_text(toks, *kv["description"], cx)
                            if desc is None:
                                desc = False
                        if an == "serde":
                            if "rename" in kv:
                                rename = expr_text(toks, *kv["rename"], cx)
                            if "default" in kv:
                                dflt = True
                            for ps, pe2 in pos:
                                if toks[ps].v == "default":
                                    dflt = True
                                if toks[ps].v in ("skip", "skip_deserializing"):
                                    skip = True
                                if toks[ps].v == "flatten":
                                    flatten = True
                            if "skip_serializing_if" in kv and False:
                                pass
                        if an == "doc" and "=" in [x.v for x in toks[k + 3:ae]]:
                            pass
                    elif an == "doc" and toks[k + 3].v == "=":
                        v = expr_text(toks, k + 4, ae, cx)
                        if v is not None:
                            docs.append(v)
                    k = ae + 1
                    continue
                break
            while k < e and toks[k].k == "id" and toks[k].v == "pub":
                k += 1
                if toks[k].v == "(":
                    k = match(toks, k) + 1
            if k + 1 >= e or toks[k].k != "id" or toks[k + 1].v != ":":
                continue
            fname = toks[k].v
            if fname.startswith("r#"):
                fname = fname[2:]
            if skip:
                continue
            jt, opt = type_of(toks, k + 2, e)
            tn = [x.v for x in toks[k + 2:e] if x.k == "id"]
            base = [x for x in tn if x not in ("Option", "Vec", "Box")]
            if flatten and base and base[0] in self.structs:
                sub = self.schema(base[0], depth + 1)
                if sub:
                    props.update(sub.get("properties", {}))
                    if not opt:
                        req += sub.get("required", [])
                continue
            if jt is None:
                if base and base[0] in self.enums:
                    jt = "string"
                elif base and base[0] in self.structs:
                    jt = "object"
            p = {}
            if jt:
                p["type"] = jt
            if desc is False:
                desc = None
            if desc is None and docs:
                desc = rust_doc_schemars(docs)
            if desc:
                p["description"] = desc
            key = rename or (case_rename(fname, rename_all) if rename_all else fname)
            props[key] = p
            if not opt and not dflt and not all_default:
                req.append(key)
        sch = {"type": "object", "properties": props}
        if req:
            sch["required"] = req
        return sch


def json_from_toks(toks, a, b, cx, ts=False):
    """a json!({...}) body as a Python value, or raise ValueError."""
    pos = [a]

    def val():
        i = pos[0]
        t = toks[i]
        if t.k == "p" and t.v == "{":
            e = match(toks, i)
            obj = {}
            for s, e2 in split_top(toks, i + 1, e):
                # key : value
                if toks[s].k == "str" or (ts and toks[s].k == "id"):
                    key = toks[s].v
                else:
                    raise ValueError("key")
                if toks[s + 1].v != ":":
                    raise ValueError(":")
                pos[0] = s + 2
                v = val()
                if ts and pos[0] + 2 == e2 and toks[pos[0]].v == "as" and toks[pos[0] + 1].v == "const":
                    pos[0] = e2
                if pos[0] != e2:
                    raise ValueError("trail")
                obj[key] = v
            pos[0] = e + 1
            return obj
        if t.k == "p" and t.v == "[":
            e = match(toks, i)
            arr = []
            for s, e2 in split_top(toks, i + 1, e):
                pos[0] = s
                arr.append(val())
                if pos[0] != e2:
                    raise ValueError("trail")
            pos[0] = e + 1
            return arr
        if t.k == "id" and t.v in ("true", "false", "null"):
            pos[0] = i + 1
            return {"true": True, "false": False, "null": None}[t.v]
        if t.k == "num":
            pos[0] = i + 1
            return int(t.v) if t.v.isdigit() else float(t.v)
        if t.k == "p" and t.v == "-" and toks[i + 1].k == "num":
            pos[0] = i + 2
            return -int(toks[i + 1].v)
        s, j = text_at(toks, i, cx)
        if s is None:
            raise ValueError("expr")
        pos[0] = j
        return s

    v = val()
    if pos[0] != b:
        raise ValueError("end")
    return v


def rs_extract(files, modes, notes):
    idx = RustIndex(files)
    tools, prompts, resources = [], [], []
    instructions = None
    catalog = {}
    for path, toks, cx in files:
        n = len(toks)
        for i in range(n - 3):
            t = toks[i]
            # ---- catalog entries (biomcp) ----
            if t.k == "id" and "catalog" in modes and t.v == "ToolCatalogEntry" \
                    and toks[i + 1].v == "{":
                e = match(toks, i + 1)
                kv = {}
                for s, e2 in split_top(toks, i + 2, e):
                    if toks[s].k == "id" and toks[s + 1].v == ":":
                        kv[toks[s].v] = (s + 2, e2)
                if "name" in kv and "description" in kv:
                    nm = expr_text(toks, *kv["name"], cx)
                    ds = expr_text(toks, *kv["description"], cx)
                    if nm and ds is not None:
                        catalog[nm] = ds
            # ---- #[tool(...)] / #[prompt(...)] on a method ----
            if t.v == "#" and toks[i + 1].v == "[" and toks[i + 2].k == "id" \
                    and toks[i + 2].v in ("tool", "prompt") \
                    and toks[i + 3].v in ("]", "("):
                kind = toks[i + 2].v
                ae = match(toks, i + 1)
                kv = {}
                if toks[i + 3].v == "(":
                    kv, pos = parse_kv(toks, i + 4, match(toks, i + 3), cx)
                    if any(toks[s].v in ("tool_box", "aggr", "param") for s, _ in pos):
                        continue
                # forward to fn
                k = ae + 1
                while k < n:
                    tk = toks[k]
                    if tk.k == "doc":
                        k += 1
                    elif tk.v == "#" and toks[k + 1].v == "[":
                        k = match(toks, k + 1) + 1
                    elif tk.k == "id" and tk.v in ("pub", "async", "unsafe", "const", "extern"):
                        k += 1
                        if toks[k].v == "(":
                            k = match(toks, k) + 1
                    else:
                        break
                if not (toks[k].k == "id" and toks[k].v == "fn"):
                    continue
                fn = toks[k + 1].v
                b = attr_block_back(toks, i)
                docs = [x.v for x in toks[b:k] if x.k == "doc"]
                name = fn
                if "name" in kv:
                    name = expr_text(toks, *kv["name"], cx)
                    if name is None:
                        notes.append("%s: a %s's name computed" % (fn, kind))
                        continue
                if "description" in kv:
                    desc = expr_text(toks, *kv["description"], cx)
                    if desc is None:
                        notes.append("%s: description computed" % name)
                        continue
                else:
                    if any(x.v == "doc" and toks[q + 1].v == "=" for q, x in enumerate(toks[b:k], b)):
                        notes.append("%s: description from #[doc = ...] (include_str!), not a literal" % name)
                        continue
                    desc = rust_doc_rmcp(docs)
                # parameters
                j = k + 2
                if toks[j].v == "<":
                    j = match_angle(toks, j) + 1
                pe = match(toks, j)
                schema = {"type": "object", "properties": {}}
                inline_props, inline_req = {}, []
                tname = None
                for s, e2 in split_top(toks, j + 1, pe):
                    ids = [x.v for x in toks[s:e2] if x.k == "id"]
                    if "Parameters" in ids:
                        for q in range(s, e2):
                            if toks[q].v == "Parameters" and toks[q + 1].v == "<":
                                ae2 = match_angle(toks, q + 1)
                                inner = [x.v for x in toks[q + 2:ae2] if x.k == "id"]
                                tname = inner[-1] if inner else None
                        continue
                    if toks[s].v == "#" and "aggr" in ids[:3]:
                        c = [q for q in range(s, e2) if toks[q].v == ":"]
                        if c:
                            inner = [x.v for x in toks[c[0] + 1:e2] if x.k == "id"]
                            tname = inner[-1] if inner else None
                        continue
                    if toks[s].v == "#" and "param" in ids[:3]:
                        # #[tool(param)] #[schemars(description = "...")] name: Type
                        q = s
                        pdesc = None
                        while toks[q].v == "#":
                            qe = match(toks, q + 1)
                            if toks[q + 2].v == "schemars":
                                kv2, _ = parse_kv(toks, q + 4, match(toks, q + 3), cx)
                                if "description" in kv2:
                                    pdesc = expr_text(toks, *kv2["description"], cx)
                            q = qe + 1
                        if toks[q].k == "id" and toks[q + 1].v == ":":
                            jt, opt = type_of(toks, q + 2, e2)
                            p = {}
                            if jt:
                                p["type"] = jt
                            if pdesc:
                                p["description"] = pdesc
                            inline_props[toks[q].v] = p
                            if not opt:
                                inline_req.append(toks[q].v)
                if tname:
                    sc = idx.schema(tname)
                    if sc is None:
                        notes.append("%s: parameters' struct %s not found" % (name, tname))
                    else:
                        schema = sc
                elif inline_props:
                    schema = {"type": "object", "properties": inline_props}
                    if inline_req:
                        schema["required"] = inline_req
                if kind == "tool":
                    tools.append({"name": name, "description": desc,
                                  "inputSchema": schema})
                else:
                    pr = {"name": name, "description": desc}
                    args = []
                    for pn, pv in schema.get("properties", {}).items():
                        a = {"name": pn}
                        if "description" in pv:
                            a["description"] = pv["description"]
                        a["required"] = pn in schema.get("required", [])
                        args.append(a)
                    pr["arguments"] = args
                    prompts.append(pr)
            # ---- rust-mcp-sdk: #[mcp_tool(...)] struct ----
            if t.v == "#" and toks[i + 1].v == "[" and toks[i + 2].v == "mcp_tool" \
                    and toks[i + 3].v == "(":
                kv, _ = parse_kv(toks, i + 4, match(toks, i + 3), cx)
                k = match(toks, i + 1) + 1
                while toks[k].v == "#" or toks[k].k == "doc":
                    k = match(toks, k + 1) + 1 if toks[k].v == "#" else k + 1
                while toks[k].v == "pub":
                    k += 1
                if toks[k].v != "struct":
                    continue
                sn = toks[k + 1].v
                name = expr_text(toks, *kv["name"], cx) if "name" in kv else None
                desc = expr_text(toks, *kv["description"], cx) if "description" in kv else None
                if name is None or desc is None:
                    notes.append("%s: name or description computed" % sn)
                    continue
                sc = idx.schema(sn) or {"type": "object", "properties": {}}
                tools.append({"name": name, "description": desc, "inputSchema": sc})
            # ---- json!({"tools": [{name, description, inputSchema}]}) ----
            if "jsontools" in modes and t.v == "json" and toks[i + 1].v == "!" \
                    and toks[i + 2].v == "(" and toks[i + 3].v == "{":
                je = match(toks, i + 2)
                try:
                    v = json_from_toks(toks, i + 3, je, cx)
                except (ValueError, IndexError):
                    v = None
                if isinstance(v, dict) and isinstance(v.get("tools"), list):
                    for x in v["tools"]:
                        if isinstance(x, dict) and "name" in x:
                            tools.append({"name": x["name"], "description": x.get("description"),
                                          "inputSchema": x.get("inputSchema", {"type": "object", "properties": {}})})
            # ---- Tool { name, description, input_schema } literals ----
            if t.k == "id" and t.v == "Tool" and toks[i + 1].v == "{" \
                    and toks[i - 1].v not in ("struct", "for", "impl", "->", ":", "<") \
                    and "literal" in modes:
                e = match(toks, i + 1)
                kv = {}
                for s, e2 in split_top(toks, i + 2, e):
                    if toks[s].k == "id" and toks[s + 1].v == ":":
                        kv[toks[s].v] = (s + 2, e2)
                if "name" not in kv:
                    continue
                name = expr_text(toks, *kv["name"], cx)
                desc = expr_text(toks, *kv["description"], cx) if "description" in kv else None
                if name is None or ("description" in kv and desc is None):
                    notes.append("a Tool literal with computed text")
                    continue
                sch = {"type": "object", "properties": {}}
                if "input_schema" in kv:
                    a, b = kv["input_schema"]
                    for q in range(a, b):
                        if toks[q].v == "json" and toks[q + 1].v == "!":
                            je = match(toks, q + 2)
                            try:
                                sch = json_from_toks(toks, q + 3, je, cx)
                            except (ValueError, IndexError):
                                notes.append("%s: schema not literal" % name)
                            break
                tools.append({"name": name, "description": desc, "inputSchema": sch})
    if catalog:
        byname = {x["name"]: x for x in tools}
        out = []
        for nm, ds in catalog.items():
            sch = byname[nm]["inputSchema"] if nm in byname else {"type": "object", "properties": {}}
            out.append({"name": nm, "description": ds, "inputSchema": sch})
        for x in tools:
            if x["name"] not in catalog:
                out.append(x)
        tools = out
    return instructions, tools, resources, prompts


# ====================================================================
# C#
# ====================================================================

CS_SKIP_TYPES = {"CancellationToken", "IMcpServer", "McpServer", "RequestContext",
                 "IProgress", "IServiceProvider", "ILogger", "HttpClient",
                 "IMcpEndpoint", "McpRequestContext", "ClaimsPrincipal",
                 "IHttpClientFactory", "IConfiguration", "IOptions"}


def snake_lower(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def cs_sections(toks, i, cx):
    """attribute sections starting at toks[i] == '[' -> ({name: (kv,pos)}, end)."""
    attrs = {}
    while toks[i].k == "p" and toks[i].v == "[":
        e = match(toks, i)
        for s, e2 in split_top(toks, i + 1, e):
            q = s
            if toks[q].k == "id" and toks[q + 1].v == ":":
                q += 2  # target: (param:, method:)
            path = []
            while toks[q].k == "id":
                path.append(toks[q].v)
                if toks[q + 1].v == ".":
                    q += 2
                else:
                    q += 1
                    break
            if not path:
                continue
            an = path[-1]
            if an.endswith("Attribute"):
                an = an[:-9]
            kv, pos = {}, []
            if toks[q].v == "(":
                pe = match(toks, q)
                kv, pos = parse_kv(toks, q + 1, pe, cx)
            attrs[an] = (kv, pos)
        i = e + 1
    return attrs, i


def cs_params(toks, a, b, cx, name, notes):
    props, req, args = {}, [], []
    for s, e in split_top(toks, a, b):
        attrs = {}
        q = s
        if toks[q].v == "[":
            attrs, q = cs_sections(toks, q, cx)
        while toks[q].k == "id" and toks[q].v in ("this", "params", "ref", "out", "in", "scoped"):
            q += 1
        eq = [r for r in range(q, e) if toks[r].v == "="]
        end = eq[0] if eq else e
        if end - 1 < q or toks[end - 1].k != "id":
            continue
        pn = toks[end - 1].v
        tids = [x.v for x in toks[q:end - 1] if x.k == "id"]
        if "FromServices" in attrs or "FromKeyedServices" in attrs:
            continue
        base = tids[-1] if tids and len(tids) == 1 else (tids[0] if tids else "")
        if any(t in CS_SKIP_TYPES for t in tids[:1]) or (
                base and re.match(r"I[A-Z]", base) and jtype(base) is None
                and base not in ("IEnumerable", "IList", "IReadOnlyList", "ICollection",
                                 "IReadOnlyCollection", "IDictionary", "IReadOnlyDictionary")
                and "Description" not in attrs):
            continue
        desc = None
        if "Description" in attrs:
            kv, pos = attrs["Description"]
            if pos:
                desc = expr_text(toks, *pos[0], cx)
                if desc is None:
                    notes.append("%s.%s: parameter description computed" % (name, pn))
        jt, opt = type_of(toks, q, end - 1)
        if jt is None and tids and tids[0] not in ("string",):
            jt = None
        p = {}
        if jt:
            p["type"] = jt
        if desc:
            p["description"] = desc
        props[pn] = p
        r = not eq
        if r:
            req.append(pn)
        a_ = {"name": pn}
        if desc:
            a_["description"] = desc
        a_["required"] = r
        args.append(a_)
    sch = {"type": "object", "properties": props}
    if req:
        sch["required"] = req
    return sch, args


def cs_props(files, notes):
    """classes with override string Name => ...; Description => ...;
    and GetInputSchema() returning JsonDocument.Parse(<literal JSON>)."""
    tools = []
    for path, toks, cx in files:
        n = len(toks)
        for i, t in enumerate(toks):
            if not (t.k == "id" and t.v == "class" and toks[i + 1].k == "id"):
                continue
            q = i + 2
            while q < n - 1 and toks[q].v not in ("{", ";"):
                if toks[q].v == "(":
                    q = match(toks, q)
                q += 1
            if toks[q].v != "{":
                continue
            e = match(toks, q)
            got = {}
            sch = None
            for r in range(q + 1, e):
                if toks[r].k == "id" and toks[r].v in ("Name", "Description") \
                        and toks[r - 1].v == "string" and toks[r - 2].v == "override" \
                        and toks[r + 1].v == "=>":
                    v, j = text_at(toks, r + 2, cx)
                    got[toks[r].v] = v if toks[j].v == ";" else None
                if toks[r].v == "GetInputSchema" and sch is None:
                    for r2 in range(r, min(e, r + 40)):
                        if toks[r2].v == "Parse" and toks[r2 + 1].v == "(":
                            pe = match(toks, r2 + 1)
                            js = expr_text(toks, r2 + 2, pe, cx)
                            try:
                                sch = json.loads(js) if js else None
                            except ValueError:
                                sch = None
                            break
            if "Name" not in got:
                continue
            if got["Name"] is None or got.get("Description", "") is None:
                notes.append("%s: name or description computed" % toks[i + 1].v)
                continue
            if sch is None:
                sch = {"type": "object", "properties": {}}
                notes.append("%s: schema not literal" % got["Name"])
            tools.append({"name": got["Name"], "description": got.get("Description"),
                          "inputSchema": sch})
    return tools


def cs_extract(files, modes, notes):
    tools, prompts, resources = [], [], []
    if "props" in modes:
        return None, cs_props(files, notes), [], []
    for path, toks, cx in files:
        n = len(toks)
        i = 0
        while i < n - 1:
            t = toks[i]
            if not (t.k == "p" and t.v == "[" and (i == 0 or toks[i - 1].v in (";", "{", "}", "]", ")")) and toks[i + 1].k == "id"):
                i += 1
                continue
            attrs, k = cs_sections(toks, i, cx)
            if "aitool" in modes:
                for a_, b_ in (("AiTool", "McpServerTool"), ("AiPrompt", "McpServerPrompt")):
                    if a_ in attrs:
                        attrs[b_] = attrs.pop(a_)
            kind = None
            for a in ("McpServerTool", "McpServerPrompt", "McpServerResource"):
                if a in attrs:
                    kind = a
            if kind is None:
                i = max(k, i + 1)
                continue
            # method: up to '('
            q = k
            while q < n and toks[q].v not in ("(", "{", ";", "=", "=>"):
                q += 1
            if toks[q].v != "(":
                i = q
                continue
            mname = toks[q - 1].v
            if toks[q - 1].v == ">":
                # generic method
                d = 0
                r = q - 1
                while r > k:
                    if toks[r].v == ">":
                        d += 1
                    elif toks[r].v == "<":
                        d -= 1
                        if d == 0:
                            break
                    r -= 1
                mname = toks[r - 1].v
            is_async = any(x.v in ("Task", "ValueTask", "async") for x in toks[k:q])
            pe = match(toks, q)
            kv, pos = attrs[kind]
            if "Enabled" in kv and toks[kv["Enabled"][0]].v == "false":
                notes.append("%s: disabled by default (Enabled = false), left out" % mname)
                i = pe
                continue
            name = None
            nk = "Name"
            if nk in kv:
                name = expr_text(toks, *kv[nk], cx)
                if name is None:
                    notes.append("%s: name computed" % mname)
                    i = pe
                    continue
            elif pos and kind == "McpServerTool":
                name = expr_text(toks, *pos[0], cx)
            if name is None:
                base = mname
                if is_async and base.endswith("Async") and len(base) > 5:
                    base = base[:-5]
                base = re.sub(r"[^A-Za-z0-9]", "_", base).strip("_") or mname
                name = snake_lower(base)
            desc = None
            if "Description" in attrs:
                dkv, dpos = attrs["Description"]
                if dpos:
                    desc = expr_text(toks, *dpos[0], cx)
                    if desc is None:
                        notes.append("%s: description computed" % name)
                        i = pe
                        continue
            elif "Description" in kv:
                desc = expr_text(toks, *kv["Description"], cx)
                if desc is None:
                    notes.append("%s: description computed" % name)
                    i = pe
                    continue
            sch, args = cs_params(toks, q + 1, pe, cx, name, notes)
            if kind == "McpServerTool":
                tools.append({"name": name, "description": desc, "inputSchema": sch})
            elif kind == "McpServerPrompt":
                prompts.append({"name": name, "description": desc, "arguments": args})
            else:
                uri = None
                for key in ("UriTemplate", "Uri"):
                    if key in kv:
                        uri = expr_text(toks, *kv[key], cx)
                if uri and "{" not in uri:
                    r = {"uri": uri, "name": name}
                    if desc:
                        r["description"] = desc
                    if "MimeType" in kv:
                        mt = expr_text(toks, *kv["MimeType"], cx)
                        if mt:
                            r["mimeType"] = mt
                    resources.append(r)
            i = pe
    return None, tools, resources, prompts


# ====================================================================
# Java (and Kotlin in JVM servers)
# ====================================================================

JAVA_SKIP_TYPES = {"ToolContext", "McpLog", "McpConnection", "Progress",
                   "Cancellation", "Roots", "Sampling", "Elicitation",
                   "RequestId", "McpRequest", "McpSyncServerExchange",
                   "McpAsyncServerExchange", "McpTransportContext",
                   "RawMessage", "Meta", "Context"}
JAVA_MODS = {"public", "private", "protected", "static", "final", "synchronized",
             "abstract", "default", "native", "suspend", "override", "fun",
             "open", "internal"}


def java_annots(toks, i, cx):
    """@A(...) @B ... from toks[i] -> ({name: (kv, pos)}, end)."""
    out = {}
    while toks[i].v == "@" and toks[i + 1].k == "id":
        q = i + 1
        path = [toks[q].v]
        while toks[q + 1].v == "." and toks[q + 2].k == "id":
            q += 2
            path.append(toks[q].v)
        q += 1
        kv, pos = {}, []
        if toks[q].v == "(":
            pe = match(toks, q)
            kv, pos = parse_kv(toks, q + 1, pe, cx)
            q = pe + 1
        out[path[-1]] = (kv, pos)
        i = q
    return out, i


def java_bool(toks, span):
    return toks[span[0]].v if span else None


def java_extract(files, modes, notes):
    tools, prompts, resources = [], [], []
    for path, toks, cx in files:
        n = len(toks)
        i = 0
        while i < n - 2:
            t = toks[i]
            # ---- builder (SonarQube) ----
            if "builder" in modes and t.v == "." and toks[i + 1].v == "setName" \
                    and toks[i + 2].v == "(":
                pe = match(toks, i + 2)
                name = expr_text(toks, i + 3, pe, cx)
                # the statement's end
                d, q = 0, pe + 1
                st_end = n - 1
                desc, props, req = None, {}, []
                descset = False
                q = i
                depth = 0
                # walk to ';' at depth relative to here
                r = pe + 1
                dd = 0
                while r < n:
                    tv = toks[r]
                    if tv.k == "p" and tv.v in OPEN:
                        dd += 1
                    elif tv.k == "p" and tv.v in (")", "]", "}"):
                        dd -= 1
                        if dd < -1:
                            break
                    elif tv.k == "p" and tv.v == ";":
                        break
                    if tv.v == "." and toks[r + 1].k == "id" and toks[r + 2].v == "(":
                        m = toks[r + 1].v
                        ae = match(toks, r + 2)
                        parts = split_top(toks, r + 3, ae)
                        if m == "setDescription":
                            descset = True
                            desc = expr_text(toks, *parts[0], cx) if parts else None
                        elif m.startswith("add") and m.endswith("Property") and parts:
                            pn = expr_text(toks, *parts[0], cx)
                            pd = expr_text(toks, *parts[-1], cx) if len(parts) >= 2 else None
                            if m in ("addProjectKeyProperty", "addOptionalProjectKeyProperty"):
                                notes.append("%s: %s() left out (computed)" % (name, m))
                            elif pn is None or (len(parts) >= 2 and pd is None):
                                notes.append("%s: a property computed" % name)
                            else:
                                kind = m[3:-8]
                                rq = kind.startswith("Required")
                                kind = kind.replace("Required", "")
                                jt = {"String": "string", "Boolean": "boolean",
                                      "Number": "number", "Integer": "integer",
                                      "Array": "array", "Enum": "string",
                                      "EnumArray": "array", "Object": "object"}.get(kind)
                                if kind in ("ProjectKey", "OptionalProjectKey"):
                                    notes.append("%s: %s() left out (computed)" % (name, m))
                                else:
                                    p = {}
                                    if jt:
                                        p["type"] = jt
                                    if pd:
                                        p["description"] = pd
                                    props[pn] = p
                                    if rq:
                                        req.append(pn)
                        elif m.startswith("add") and m.endswith("Properties"):
                            notes.append("%s: %s() left out (a helper)" % (name, m))
                        r = ae + 1
                        continue
                    r += 1
                if not descset:
                    pass
                elif name is None or desc is None:
                    notes.append("a builder tool with computed text")
                else:
                    sch = {"type": "object", "properties": props}
                    if req:
                        sch["required"] = req
                    tools.append({"name": name, "description": desc, "inputSchema": sch})
                i = r
                continue
            # ---- the Java SDK's McpSchema.Tool.builder().name(..).description(..) ----
            if "toolbuilder" in modes and t.v == "Tool" and toks[i + 1].v == "." \
                    and toks[i + 2].v == "builder" and toks[i + 3].v == "(":
                r = match(toks, i + 3) + 1
                name = desc = None
                nameset = descset = False
                props, req = {}, []
                sch_note = None
                while toks[r].v == "." and toks[r + 1].k == "id" and toks[r + 2].v == "(":
                    m = toks[r + 1].v
                    ae = match(toks, r + 2)
                    if m == "name":
                        nameset, name = True, expr_text(toks, r + 3, ae, cx)
                    elif m == "description":
                        descset, desc = True, expr_text(toks, r + 3, ae, cx)
                    elif m == "inputSchema":
                        q = r + 3
                        # SchemaUtil.builder().xProperty(n, d)...build()
                        inner = [x for x in range(q, ae) if toks[x].v == "." and toks[x + 1].k == "id" and toks[x + 2].v == "("]
                        chain = False
                        for x in inner:
                            pm = toks[x + 1].v
                            pe2 = match(toks, x + 2)
                            mm = re.match(r"^(required)?([A-Z]?[a-z]*)Property$", pm[0].lower() + pm[1:]) if pm.endswith("Property") else None
                            if pm == "builder":
                                chain = True
                                continue
                            if not chain or pm == "build":
                                continue
                            if mm:
                                parts = split_top(toks, x + 3, pe2)
                                pn = expr_text(toks, *parts[0], cx) if parts else None
                                pd = expr_text(toks, *parts[-1], cx) if len(parts) >= 2 else None
                                if pn is None or (len(parts) >= 2 and pd is None):
                                    sch_note = "a property computed"
                                    continue
                                kind = mm.group(2).lower()
                                jt = {"string": "string", "boolean": "boolean", "integer": "integer",
                                      "number": "number", "array": "array", "object": "object",
                                      "enum": "string"}.get(kind)
                                p = {"type": jt} if jt else {}
                                if pd:
                                    p["description"] = pd
                                props[pn] = p
                                if mm.group(1):
                                    req.append(pn)
                            elif toks[x + 3].v == ")":
                                sch_note = "%s() left out (a helper)" % pm
                        if not chain:
                            sch_note = "schema not literal"
                    r = ae + 1
                if nameset:
                    if name is None or (descset and desc is None):
                        notes.append("a builder tool with computed text")
                    else:
                        if sch_note:
                            notes.append("%s: %s" % (name, sch_note))
                        sch = {"type": "object", "properties": props}
                        if req:
                            sch["required"] = req
                        tools.append({"name": name, "description": desc, "inputSchema": sch})
                i = r
                continue
            if not (t.v == "@" and toks[i + 1].k == "id"
                    and toks[i + 1].v in ("Tool", "Prompt", "Resource", "McpTool", "McpPrompt", "McpResource")
                    and toks[i + 2].v != "."):
                i += 1
                continue
            if toks[i - 1].v == "." or (toks[i - 1].v == "(" and toks[i - 2].v == "Annotations"):
                i += 1
                continue
            annots, k = java_annots(toks, i, cx)
            kind = None
            for a in ("Tool", "McpTool", "Prompt", "McpPrompt", "Resource", "McpResource"):
                if a in annots:
                    kind = a
                    break
            kv, pos = annots[kind]
            q = k
            while q < n and toks[q].v not in ("(", "{", ";", "="):
                if toks[q].v == "@":
                    a2, q = java_annots(toks, q, cx)
                    continue
                q += 1
            if toks[q].v != "(" or toks[q - 1].k != "id":
                i = q
                continue
            mname = toks[q - 1].v
            if mname in ("class", "interface"):
                i = q
                continue
            pe = match(toks, q)
            name = mname
            for key in ("name",):
                if key in kv:
                    name = expr_text(toks, *kv[key], cx)
            if name is None:
                notes.append("%s: name computed" % mname)
                i = pe
                continue
            desc = None
            dspan = kv.get("description") or (pos[0] if pos and kind not in ("Resource", "McpResource") else None)
            if dspan:
                desc = expr_text(toks, *dspan, cx)
                if desc is None:
                    notes.append("%s: description computed" % name)
                    i = pe
                    continue
            # parameters
            props, req, args = {}, [], []
            for s, e in split_top(toks, q + 1, pe):
                pa, r0 = java_annots(toks, s, cx) if toks[s].v == "@" else ({}, s)
                while toks[r0].k == "id" and toks[r0].v in ("final", "val", "var", "vararg"):
                    r0 += 1
                ids = [x for x in range(r0, e) if toks[x].k == "id"]
                if not ids:
                    continue
                if cx.lang == "kt":
                    # name: Type
                    pn = toks[r0].v
                    tstart, tend = r0 + 2, e
                    eq = [x for x in range(r0, e) if toks[x].v == "="]
                    if eq:
                        tend = eq[0]
                else:
                    pn = toks[ids[-1]].v
                    tstart, tend = r0, ids[-1]
                tids = [x.v for x in toks[tstart:tend] if x.k == "id"]
                if tids and tids[-1 if cx.lang == "kt" else 0] in JAVA_SKIP_TYPES or (tids and tids[0] in JAVA_SKIP_TYPES):
                    continue
                pann = None
                for a in ("ToolParam", "ToolArg", "P", "McpToolParam", "McpArg", "PromptArg"):
                    if a in pa:
                        pann = pa[a]
                pdesc, rq = None, True
                if pann:
                    pkv, ppos = pann
                    ds = pkv.get("description") or (ppos[0] if ppos else None)
                    if ds:
                        pdesc = expr_text(toks, *ds, cx)
                        if pdesc is None:
                            notes.append("%s.%s: parameter description computed" % (name, pn))
                    if "required" in pkv and toks[pkv["required"][0]].v == "false":
                        rq = False
                    if "name" in pkv:
                        pn2 = expr_text(toks, *pkv["name"], cx)
                        if pn2:
                            pn = pn2
                elif "Nullable" in pa:
                    rq = False
                jt, opt = type_of(toks, tstart, tend)
                if jt is None and tids and tids[0] in ("Optional",):
                    rq = False
                p = {}
                if jt:
                    p["type"] = jt
                if pdesc:
                    p["description"] = pdesc
                props[pn] = p
                if rq:
                    req.append(pn)
                a_ = {"name": pn}
                if pdesc:
                    a_["description"] = pdesc
                a_["required"] = rq
                args.append(a_)
            if kind in ("Tool", "McpTool"):
                sch = {"type": "object", "properties": props}
                if req:
                    sch["required"] = req
                tools.append({"name": name, "description": desc, "inputSchema": sch})
            elif kind in ("Prompt", "McpPrompt"):
                prompts.append({"name": name, "description": desc, "arguments": args})
            else:
                uri = expr_text(toks, *kv["uri"], cx) if "uri" in kv else None
                if uri and "{" not in uri:
                    r = {"uri": uri, "name": name}
                    if desc:
                        r["description"] = desc
                    if "mimeType" in kv:
                        mt = expr_text(toks, *kv["mimeType"], cx)
                        if mt:
                            r["mimeType"] = mt
                    resources.append(r)
            i = pe
    return None, tools, resources, prompts


# ====================================================================
# Kotlin
# ====================================================================

def kt_extract(files, modes, notes):
    tools = []
    dataclasses = {}
    for path, toks, cx in files:
        for i, t in enumerate(toks):
            if t.v == "data" and toks[i + 1].v == "class" and toks[i + 3].v == "(":
                dataclasses[toks[i + 2].v] = (toks, i + 3)
    for path, toks, cx in files:
        n = len(toks)
        for i, t in enumerate(toks):
            if not (t.k == "id" and t.v == "class" and toks[i + 1].k == "id"):
                continue
            # class body
            q = i + 2
            argtype = None
            while q < n - 1 and toks[q].v not in ("{", "class"):
                if toks[q].v == "AbstractMcpTool" and toks[q + 1].v == "<":
                    argtype = toks[q + 2].v
                q += 1
            if toks[q].v != "{":
                continue
            e = match(toks, q)
            name = desc = None
            nameset = descset = False
            r = q + 1
            while r < e:
                if toks[r].k == "id" and toks[r].v in ("name", "description") \
                        and toks[r - 1].v == "val" and toks[r - 2].v == "override":
                    key = toks[r].v
                    s = r + 1
                    if toks[s].v == ":":
                        s += 2
                    if toks[s].v == "=":
                        v, j = text_at(toks, s + 1, cx)
                        ok = v is not None and (toks[j].line > toks[j - 1].line or toks[j].v in (";", "}"))
                        if key == "name":
                            nameset, name = True, (v if ok else None)
                        else:
                            descset, desc = True, (v if ok else None)
                        r = j
                        continue
                    if toks[s].v == "get":
                        if key == "name":
                            nameset = True
                        else:
                            descset = True
                r += 1
            if not nameset:
                continue
            if name is None or (descset and desc is None):
                notes.append("%s: name or description computed" % toks[i + 1].v)
                continue
            sch = {"type": "object", "properties": {}}
            if argtype and argtype in dataclasses:
                dt, o = dataclasses[argtype]
                pe = match(dt, o)
                props, req = {}, []
                for s, e2 in split_top(dt, o + 1, pe):
                    s0 = s
                    while dt[s0].v == "@":
                        _, s0 = java_annots(dt, s0, cx)
                    if dt[s0].v in ("val", "var"):
                        s0 += 1
                    if dt[s0].k != "id" or dt[s0 + 1].v != ":":
                        continue
                    eq = [x for x in range(s0, e2) if dt[x].v == "="]
                    tend = eq[0] if eq else e2
                    tids = [x.v for x in dt[s0 + 2:tend] if x.k == "id"]
                    jt = jtype(tids[0]) if tids else None
                    p = {"type": jt} if jt else {}
                    props[dt[s0].v] = p
                    if not eq and not any(x.v == "?" for x in dt[s0 + 2:tend]):
                        req.append(dt[s0].v)
                sch = {"type": "object", "properties": props}
                if req:
                    sch["required"] = req
            tools.append({"name": name, "description": desc, "inputSchema": sch})
    return None, tools, [], []



# ====================================================================
# TypeScript
# ====================================================================

ZOD_T = {"string": "string", "number": "number", "boolean": "boolean",
         "array": "array", "object": "object", "enum": "string",
         "bigint": "integer", "date": "string", "record": "object",
         "literal": None, "union": None, "any": None, "unknown": None,
         "nativeEnum": "string", "int": "integer", "email": "string",
         "url": "string", "uuid": "string"}


def ts_zod_prop(toks, a, b, cx):
    """(schema of one zod expression toks[a:b], optional?)."""
    p, opt = {}, False
    k = a
    first = True
    while k < b:
        t = toks[k]
        if t.k == "id" and toks[k + 1].v == "(" and k + 1 < b:
            e = match(toks, k + 1)
            f = t.v
            if first and f in ZOD_T:
                if ZOD_T[f]:
                    p["type"] = ZOD_T[f]
                if f == "enum" and toks[k + 2].v == "[":
                    vals = []
                    ae = match(toks, k + 2)
                    for s2, e2 in split_top(toks, k + 3, ae):
                        v = expr_text(toks, s2, e2, cx)
                        if v is None:
                            vals = None
                            break
                        vals.append(v)
                    if vals:
                        p["enum"] = vals
                first = False
            elif f == "describe":
                d = expr_text(toks, k + 2, e, cx)
                if d is not None:
                    p["description"] = d
            elif f in ("optional", "nullish", "default"):
                opt = True
            k = e + 1
            continue
        if t.k == "id" and t.v == "coerce":
            k += 1
            continue
        k += 1
    return p, opt


def ts_shape(toks, a, b, cx, shapes, name, notes):
    """a zod raw shape { k: z..., } at toks[a] == '{' .. or z.object({...})
    or an identifier bound to one, or a JSON-schema object literal."""
    if a >= b:
        return {"type": "object", "properties": {}}
    t = toks[a]
    if t.k == "id" and t.v in ("zodToJsonSchema", "toJsonSchema") and toks[a + 1].v == "(":
        e = match(toks, a + 1)
        args = split_top(toks, a + 2, e)
        if args:
            return ts_shape(toks, args[0][0], args[0][1], cx, shapes, name, notes)
    if t.k == "id" and not (toks[a + 1].v == "." and toks[a + 2].v == "object"):
        # NAME, NAME.shape, ns.NAME
        k = a
        key = t.v
        while toks[k + 1].v == "." and toks[k + 2].k == "id" and toks[k + 2].v != "shape":
            k += 2
            key = toks[k].v
        if key in shapes:
            st, sa, sb = shapes[key]
            return ts_shape(st, sa, sb, cx, {}, name, notes)
        notes.append("%s: schema %s not literal" % (name, key))
        return {"type": "object", "properties": {}}
    if t.k == "id" and toks[a + 2].v == "object" and toks[a + 3].v == "(":
        a = a + 4
        if toks[a].v != "{":
            return {"type": "object", "properties": {}}
    if toks[a].v != "{":
        return {"type": "object", "properties": {}}
    e = match(toks, a)
    parts = split_top(toks, a + 1, e)
    # JSON schema literal?
    keys = [toks[s].v for s, _ in parts if toks[s].k in ("id", "str")]
    if "type" in keys and ("properties" in keys or toks[[s for s, _ in parts if toks[s].v == "type"][0] + 2].k == "str"):
        try:
            return json_from_toks(toks, a, e + 1, cx, ts=True)
        except (ValueError, IndexError, KeyError):
            notes.append("%s: JSON schema not literal" % name)
            return {"type": "object", "properties": {}}
    props, req = {}, []
    for s, e2 in parts:
        if toks[s].k not in ("id", "str") or toks[s + 1].v != ":":
            continue
        p, opt = ts_zod_prop(toks, s + 2, e2, cx)
        props[toks[s].v] = p
        if not opt:
            req.append(toks[s].v)
    sch = {"type": "object", "properties": props}
    if req:
        sch["required"] = req
    return sch


def ts_extract(files, modes, notes):
    tools, prompts, resources = [], [], []
    shapes = {}
    for path, toks, cx in files:
        for i, t in enumerate(toks):
            if t.k == "id" and toks[i + 1].v == "=" and toks[i - 1].v in ("const", "let", "var"):
                j = i + 2
                if toks[j].v == "{" or (toks[j].k == "id" and toks[j + 1].v == "." and toks[j + 2].v == "object"):
                    e = match(toks, j if toks[j].v == "{" else j + 3)
                    shapes.setdefault(t.v, (toks, j, e + 1))
    for path, toks, cx in files:
        n = len(toks)
        for i in range(1, n - 3):
            t = toks[i]
            # server.tool("name", "desc"?, shape?, ...) / registerTool
            if t.k == "id" and t.v in ("tool", "registerTool", "prompt", "registerPrompt") \
                    and toks[i + 1].v == "(" and (toks[i - 1].v == "." or "bare" in modes):
                e = match(toks, i + 1)
                args = split_top(toks, i + 2, e)
                if len(args) < 2:
                    continue
                kind = "prompt" if "rompt" in t.v else "tool"
                name = expr_text(toks, *args[0], cx)
                if name is None:
                    if toks[args[0][0]].k in ("str", "id"):
                        notes.append("a %s with a computed name" % kind)
                    continue
                desc, shape = None, None
                if t.v.startswith("register"):
                    a0, b0 = args[1]
                    if toks[a0].v != "{":
                        notes.append("%s: config not literal" % name)
                        continue
                    ce = match(toks, a0)
                    kv = {}
                    for s2, e2 in split_top(toks, a0 + 1, ce):
                        if toks[s2].k in ("id", "str") and toks[s2 + 1].v == ":":
                            kv[toks[s2].v] = (s2 + 2, e2)
                        elif toks[s2].k == "id" and e2 == s2 + 1:
                            kv[toks[s2].v] = (s2, e2)
                    if "description" in kv:
                        desc = expr_text(toks, *kv["description"], cx)
                        if desc is None:
                            notes.append("%s: description computed" % name)
                            continue
                    sk = kv.get("inputSchema") or kv.get("argsSchema")
                    shape = ts_shape(toks, sk[0], sk[1], cx, shapes, name, notes) if sk else {"type": "object", "properties": {}}
                else:
                    rest = args[1:]
                    strs = []
                    while rest and toks[rest[0][0]].k == "str" or (rest and toks[rest[0][0]].k == "id" and toks[rest[0][0] + 1].v not in ("(",) and expr_text(toks, *rest[0], cx) is not None):
                        v = expr_text(toks, *rest[0], cx)
                        if v is None:
                            break
                        strs.append(v)
                        rest = rest[1:]
                    if rest and toks[rest[0][0]].k in ("str", "id") and toks[rest[0][0]].k == "str":
                        notes.append("%s: description computed" % name)
                        continue
                    if "titled" in modes and len(strs) >= 2:
                        desc = strs[1]
                    elif strs:
                        desc = strs[0]
                    elif rest and toks[rest[0][0]].k != "p" and len(rest) >= 2 and toks[rest[0][0]].v not in ("async", "function") and not (toks[rest[0][0]].v == "(" ):
                        # a description not literal (computed)
                        if toks[rest[0][0]].k == "id" and toks[rest[0][0] + 1].v not in (".",) and rest[0][0] + 1 == rest[0][1] and toks[rest[0][0]].v not in shapes:
                            notes.append("%s: description computed" % name)
                            continue
                    shape = {"type": "object", "properties": {}}
                    if rest and len(rest) >= 2:
                        a1, b1 = rest[0]
                        if toks[a1].v == "{" or toks[a1].k == "id" and toks[a1].v not in ("async", "function"):
                            shape = ts_shape(toks, a1, b1, cx, shapes, name, notes)
                if kind == "tool":
                    tools.append({"name": name, "description": desc, "inputSchema": shape})
                else:
                    argl = []
                    for pn, pv in shape.get("properties", {}).items():
                        a_ = {"name": pn}
                        if "description" in pv:
                            a_["description"] = pv["description"]
                        a_["required"] = pn in shape.get("required", [])
                        argl.append(a_)
                    prompts.append({"name": name, "description": desc, "arguments": argl})
                continue
            # object literal { name: "...", description: "...", inputSchema|schema|parameters: ... }
            if t.v == "{":
                e = match(toks, i)
                kv = {}
                for s2, e2 in split_top(toks, i + 1, e):
                    if toks[s2].k in ("id", "str") and toks[s2 + 1].v == ":":
                        kv.setdefault(toks[s2].v, (s2 + 2, e2))
                    elif toks[s2].k == "id" and e2 == s2 + 1:
                        kv.setdefault(toks[s2].v, (s2, e2))  # shorthand
                sk = kv.get("inputSchema") or kv.get("schema") or kv.get("parameters") or kv.get("args")
                if "name" not in kv or "description" not in kv or sk is None:
                    continue
                # { method: "tool_name", name: "Title", ... }: the MCP name is method
                name = expr_text(toks, *kv.get("method", kv["name"]), cx)
                desc = expr_text(toks, *kv["description"], cx)
                if name is None or desc is None:
                    notes.append("a tool object with computed text")
                    continue
                shape = ts_shape(toks, sk[0], sk[1], cx, shapes, name, notes)
                tools.append({"name": name, "description": desc, "inputSchema": shape})
    return None, tools, resources, prompts


# ====================================================================

def extract(repo, lang, files, modes):
    notes = []
    parsed = []
    consts = Consts()
    for f in files:
        src = git(repo, "show", "HEAD:" + f).decode("utf-8", "replace")
        flang = "kt" if f.endswith(".kt") else lang
        if lang == "ts" and f.endswith(".d.ts"):
            continue
        toks = tokenize(src, flang)
        cx = Ctx(flang, consts, f)
        parsed.append((f, toks, cx))
    # constants: two passes (a constant built from another); a name bound
    # to two different texts is ambiguous and not used
    found = {}
    for _ in range(2):
        for f, toks, cx in parsed:
            for k, v in collect_consts(toks, cx):
                found.setdefault((f, k), set()).add(v)
                if len(found[(f, k)]) > 1:
                    consts.by_file.setdefault(f, {})[k] = None
                    consts.glob[k] = None
                elif consts.by_file.get(f, {}).get(k, "\0") != v:
                    consts.add(f, k, v)
    ex = {"rs": rs_extract, "cs": cs_extract, "java": java_extract,
          "kt": kt_extract, "ts": ts_extract}[lang]
    instructions, tools, resources, prompts = ex(parsed, modes, notes)
    seen, out = set(), []
    for t in tools:
        if t["name"] in seen:
            continue
        seen.add(t["name"])
        if t.get("description") is None:
            t["description"] = ""
        out.append(t)
    for p in prompts:
        if p.get("description") is None:
            p["description"] = ""
    return instructions, out, resources, prompts, notes


def main():
    argv = sys.argv[1:]
    if not argv:
        sys.exit("usage: fetch-src8.py OUTDIR [NAME...]")
    outdir, only = argv[0], set(argv[1:])
    os.makedirs(outdir, exist_ok=True)
    for name, repo, lang, paths, skip, modes in SERVERS:
        if only and name not in only:
            continue
        commit = git(repo, "rev-parse", "HEAD").decode().strip()[:12]
        files = repo_files(repo, lang, paths, skip)
        instructions, tools, resources, prompts, notes = extract(repo, lang, files, modes)
        where = " ".join(p if p else "(whole repository)" for p in paths)
        doc = {"source": "github %s@%s %s, read statically by fetch-src8.py"
                         % (repo, commit, where),
               "poisoned": [], "instructions": instructions, "tools": tools,
               "resources": resources, "prompts": prompts}
        with open(os.path.join(outdir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("%-50s %4d tools %3d res %3d prompts %s%s" % (
            name, len(tools), len(resources), len(prompts),
            "instr " if instructions else "", "; ".join(notes[:4]) +
            (" (+%d)" % (len(notes) - 4) if len(notes) > 4 else "")),
            file=sys.stderr)


# ---- SERVERS_TABLE ----
# Tried and left out (fetched and looked at, nothing kept):
#   apollographql/apollo-mcp-server (Rust): its built-in tools' descriptions
#     are built at run time; the rest come from GraphQL operations
#   Govcraft/rust-docs-mcp-server (Rust): its one tool's name is set at run time
#   natepiano/bevy_brp (Rust): tools declared through its own derive macros
#   zerocore-ai/microsandbox, rustfs/rustfs (Rust): no MCP tool definitions found
#   block/goose, openai/codex: snapshots over the size limit (500 MB)
#   microsoft/mcp (Azure MCP Server, C#): tool names composed at run time
#     from command groups
#   sbroenne/mcp-server-excel (C#): descriptions made from XML doc comments
#     by its source generator
#   Azure/data-api-builder (C#): built-in tools build Tool objects in code
#     (not attempted)
#   IlyaGulya/gradle-mcp-server (Kotlin): tools registered in a loop over
#     tool objects (not attempted)
#   PortSwigger/mcp-server (Kotlin, Burp Suite): tool names derived from
#     class names by its own helper
#   21st-dev/magic-mcp: now a proxy to a remote endpoint
#   pulumi/mcp-server, upstash/mcp-server, kintone/mcp-server,
#     paypal/agent-toolkit, stripe/agent-toolkit, Kong/mcp-konnect,
#     PostHog/mcp: names or descriptions computed (registered in loops over
#     command maps, descriptions from functions or JSON definitions)
#   mailgun/mailgun-mcp-server: one static tool, the rest from an OpenAPI spec
#   MindscapeHQ/mcp-server-raygun: no source (a remote server)
#   adyen/adyen-mcp, helix-db/helix-db: no snapshot to be had
S("rs-surrealdb-surrealmcp", "surrealdb/surrealmcp", "rs", ["src"])
S("rs-mediar-ai-terminator", "mediar-ai/terminator", "rs", ["crates/terminator-mcp-agent/src"])
S("rs-bloopai-vibe-kanban", "BloopAI/vibe-kanban", "rs", ["crates/mcp/src"])
S("rs-rust-mcp-stack-rust-mcp-filesystem", "rust-mcp-stack/rust-mcp-filesystem", "rs", ["src"])
S("rs-microsoft-wassette", "microsoft/wassette", "rs", ["crates/mcp-server/src"], modes=["literal"])
S("rs-genomoncology-biomcp", "genomoncology/biomcp", "rs", ["src"], modes=["catalog"])
S("cs-kooshi-sharptoolsmcp", "kooshi/SharpToolsMCP", "cs", [""])
S("cs-dotnet-aspire-dashboard", "dotnet/aspire", "cs", ["src/Aspire.Dashboard"])
S("cs-dotnet-aspire-cli", "dotnet/aspire", "cs", ["src/Aspire.Cli"], modes=["props"])
S("cs-ivanmurzak-unity-mcp", "IvanMurzak/Unity-MCP", "cs", ["Unity-MCP-Plugin/Packages/com.ivanmurzak.unity.mcp"], modes=["aitool"])
S("cs-microsoft-winget-cli-wingetmcpserver", "microsoft/winget-cli", "cs", ["src/WinGetMCPServer"])
S("cs-azure-azure-sdk-tools-azsdk-cli", "Azure/azure-sdk-tools", "cs", ["tools/azsdk-cli/Azure.Sdk.Tools.Cli"])
S("rs-gitbutlerapp-gitbutler-but-mcp", "gitbutlerapp/gitbutler", "rs", ["crates/but/src/command/mcp"])
S("rs-tursodatabase-turso-mcp", "tursodatabase/turso", "rs", ["cli/mcp_server.rs"], modes=["jsontools"])
S("rs-moonrepo-moon", "moonrepo/moon", "rs", ["crates/mcp/src"])
S("rs-nushell-nushell-nu-mcp", "nushell/nushell", "rs", ["crates/nu-mcp/src"])
S("java-alibaba-arthas", "alibaba/arthas", "java", ["core/src/main/java/com/taobao/arthas/core/mcp", "arthas-mcp-server/src/main"])
S("java-thingsboard-thingsboard-mcp", "thingsboard/thingsboard-mcp", "java", ["src/main"])
S("java-jenkinsci-mcp-server-plugin", "jenkinsci/mcp-server-plugin", "java", ["src/main"])
S("java-sonarsource-sonarqube-mcp-server", "SonarSource/sonarqube-mcp-server", "java", ["src/main"], modes=["builder"])
S("java-cyberkaida-reverse-engineering-assistant", "cyberkaida/reverse-engineering-assistant", "java", ["src/main"], modes=["toolbuilder"])
S("java-apache-hertzbeat-mcp-log-server", "apache/hertzbeat", "java", ["mcp-servers/mcp-log-server/src/main"])
S("java-sshaaf-keycloak-mcp-server", "sshaaf/keycloak-mcp-server", "java", ["src/main"])
for _d in ("containers", "filesystem", "jdbc", "jfx", "jvminsight", "kubernetes", "wolfram"):
    S("java-quarkiverse-quarkus-mcp-servers-" + _d, "quarkiverse/quarkus-mcp-servers", "java", [_d + "/src/main"])
S("kt-jetbrains-mcp-server-plugin", "JetBrains/mcp-server-plugin", "kt", ["src/main"])
S("ts-heroku-heroku-mcp-server", "heroku/heroku-mcp-server", "ts", ["src"])
S("ts-auth0-auth0-mcp-server", "auth0/auth0-mcp-server", "ts", ["src"], modes=["objects"])
S("ts-dynatrace-oss-dynatrace-mcp", "dynatrace-oss/dynatrace-mcp", "ts", ["src"], modes=["bare", "titled"])
S("ts-honeycombio-honeycomb-mcp", "honeycombio/honeycomb-mcp", "ts", ["src"], modes=["objects"])
S("ts-microsoft-azure-devops-mcp", "microsoft/azure-devops-mcp", "ts", ["src"])
S("ts-jfrog-mcp-jfrog", "jfrog/mcp-jfrog", "ts", [""])
S("ts-alchemyplatform-alchemy-mcp-server", "alchemyplatform/alchemy-mcp-server", "ts", [""])
S("ts-activecampaign-postmark-mcp", "ActiveCampaign/postmark-mcp", "ts", ["index.js"])
S("ts-octopusdeploy-mcp-server", "OctopusDeploy/mcp-server", "ts", ["src"])
S("ts-confluentinc-mcp-confluent", "confluentinc/mcp-confluent", "ts", ["src"])
S("ts-socketdev-socket-mcp", "SocketDev/socket-mcp", "ts", [""], skip=[r"^mock-client/", r"^scripts/"])
S("ts-docker-hub-mcp", "docker/hub-mcp", "ts", ["src"])
S("ts-chargebee-agentkit", "chargebee/agentkit", "ts", ["modelcontextprotocol/src"])
S("ts-vantage-sh-vantage-mcp-server", "vantage-sh/vantage-mcp-server", "ts", ["src"])
S("ts-tinyfish-io-agentql-mcp", "tinyfish-io/agentql-mcp", "ts", ["src"], modes=["objects"])
S("ts-langfuse-mcp-server-langfuse", "langfuse/mcp-server-langfuse", "ts", ["src"])


if __name__ == "__main__":
    main()
