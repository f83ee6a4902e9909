#!/usr/bin/env python3
# fetch-src.py - make the benign6/ tool lists of MCP servers written in
# Python and Go by reading their source statically: nothing is run,
# imported or evaluated; only string literals (with implicit and "+"
# concatenation, f-strings without expressions, a module-level or
# class-level constant bound to such a literal, textwrap.dedent and
# .strip() of one) are taken as text.
#
# Each server is a snapshot of its public GitHub repository, a bare git
# directory at $MIRROR/OWNER+REPO/repo (MIRROR defaults to /work/.mirror),
# read at its HEAD with git ls-tree and git show.  The table SERVERS below
# names each server's files; the output is one JSON file a server:
#   {"source", "poisoned": [], "instructions", "tools", "resources",
#    "prompts"}
#
# Run (python3, standard library only, git on PATH):
#   python3 tests/data/poison/fetch-src.py OUTDIR [NAME...]
#   python3 tests/data/poison/fetch-src.py --table benign7 OUTDIR [NAME...]
# NAME is a server's file name without ".json"; without any, all.  The
# first table (SERVERS) makes benign6/, the second (SERVERS7, chosen by
# --table benign7 or FETCH_SRC_TABLE=benign7) benign7/.
#
# Python: a function decorated @X.tool / @X.tool(...) (name: the name=
# keyword or first positional literal, else the function's name;
# description: the description= keyword if text, else the docstring,
# cleaned as inspect.cleandoc does); X.tool(fn, ...), X.tool(...)(fn),
# X.add_tool(fn, ...), X.add_tool(Tool.from_function(fn, ...));
# low-level Tool(name=..., description=..., inputSchema=...) calls (a
# pydantic model's model_json_schema() read from its class body);
# @X.prompt and @X.resource("uri") (fixed URIs only: a templated URI is a
# resource template, not listed); FastMCP(..., instructions=...) and
# Server(..., instructions=...).  inputSchema from the parameters: a type
# from an obvious annotation, else "string"; a description from a literal
# Field(description=...) or Annotated[..., Field(description=...)].
#
# Go: mcp-go's mcp.NewTool("name", mcp.WithDescription(...),
# mcp.WithString("p", mcp.Description(...), mcp.Required()), ...), the
# go-sdk's mcp.Tool{Name: ..., Description: ..., InputSchema: ...} (its
# Properties map read where literal), MustTool/ConvertTool("name",
# "description", ...) helpers (no parameters read), mcp.NewResource,
# mcp.NewPrompt and server.WithInstructions.  A translation helper
# t("KEY", "text") gives its default text.
#
# Added for benign7 (benign6's output unchanged by them): Python, FastMCP
# 3's standalone @tool / @tool(...) in a file that imports it ("from
# fastmcp.tools import tool"); Go, a lower-case ptr("text") helper as
# Ptr, podman-mcp-server's api.Tool{...} read as mcp.Tool{...} (its
# Properties a map[string]api.Property), and razorpay-mcp-server's
# mcpgo.NewTool("name", "description", parameters, handler) with its
# parameters from the same file's "parameters := []mcpgo.ToolParameter{
# mcpgo.WithString("p", mcpgo.Description(...), mcpgo.Required()), ...}".
#
# Limits: a tool registered dynamically or with computed text is missed;
# schemas are approximate; test files, examples and vendored code skipped.

import ast
import inspect
import json
import os
import re
import subprocess
import sys

MIRROR = os.environ.get("MIRROR", "/work/.mirror")

# (file name, "owner/repo", language, [path prefixes read], [path regexes left out])
SERVERS = []


def S(name, repo, lang, paths, skip=()):
    SERVERS.append((name, repo, lang, list(paths), list(skip)))


# benign7's servers, a second table read by the same code: selected by
# "--table benign7" (or FETCH_SRC_TABLE=benign7); without it, benign6's.
SERVERS7 = []


def S7(name, repo, lang, paths, skip=()):
    SERVERS7.append((name, repo, lang, list(paths), list(skip)))


# ---- the servers (filled in below, see SERVERS_TABLE) ----

SKIP_RE = re.compile(
    r"(^|/)(tests?|testing|testdata|test_utils|e2e|examples?|samples?|docs?|"
    r"vendor|third_party|node_modules|benchmarks?|evals?|\.github)(/|$)"
    r"|(^|/)test_[^/]*\.py$|_test\.py$|_test\.go$|(^|/)conftest\.py$"
    r"|(^|/)setup\.py$|(^|/)noxfile\.py$")


def git(repo, *args):
    gd = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    return subprocess.run(["git", "--git-dir=" + gd] + list(args),
                          check=True, capture_output=True).stdout


def repo_files(repo, lang, paths, skip):
    ext = ".py" if lang == "py" else ".go"
    names = git(repo, "ls-tree", "-r", "HEAD", "--name-only",
                "-z").decode("utf-8").split("\0")
    out = []
    for n in sorted(names):
        if not n.endswith(ext):
            continue
        if not any(n == p or n.startswith(p.rstrip("/") + "/") or p == ""
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
# Python
# ====================================================================

class PyConsts:
    """Module-level NAME = "text" and class-level Class.NAME = "text"."""

    def __init__(self):
        self.by_file = {}
        self.glob = {}

    def add(self, fname, key, val):
        self.by_file.setdefault(fname, {})[key] = val
        if key in self.glob and self.glob[key] != val:
            self.glob[key] = None  # ambiguous
        else:
            self.glob.setdefault(key, val)

    def get(self, fname, key):
        d = self.by_file.get(fname, {})
        if key in d:
            return d[key]
        return self.glob.get(key)


class Py:
    def __init__(self, files):
        self.files = files  # [(path, tree)]
        self.consts = PyConsts()
        self.funcs = {}     # name -> [(path, FunctionDef)]
        self.owner = {}     # id(node) -> enclosing ClassDef
        self.classes = {}   # name -> ClassDef
        for path, tree in files:
            self.collect(path, tree)

    def collect(self, path, tree):
        for node in tree.body:
            self.collect_assign(path, node, "")
            if isinstance(node, ast.ClassDef):
                self.classes.setdefault(node.name, node)
                for sub in node.body:
                    self.collect_assign(path, sub, node.name + ".")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.funcs.setdefault(node.name, []).append((path, node))
            if isinstance(node, ast.ClassDef):
                for sub in ast.walk(node):
                    self.owner.setdefault(id(sub), node)

    def collect_assign(self, path, node, prefix):
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for t in targets:
            if isinstance(t, ast.Name):
                v = self.text(path, value, resolve=False)
                if v is not None:
                    self.consts.add(path, prefix + t.id, v)

    # -- text of an expression, or None --
    def text(self, path, node, resolve=True):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    parts.append(v.value)
                else:
                    return None
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a = self.text(path, node.left, resolve)
            b = self.text(path, node.right, resolve)
            if a is not None and b is not None:
                return a + b
            return None
        if isinstance(node, ast.Call) and not node.keywords:
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else (
                f.id if isinstance(f, ast.Name) else None)
            if fname == "dedent" and len(node.args) == 1:
                import textwrap
                s = self.text(path, node.args[0], resolve)
                return None if s is None else textwrap.dedent(s)
            if (fname == "strip" and not node.args
                    and isinstance(f, ast.Attribute)):
                s = self.text(path, f.value, resolve)
                return None if s is None else s.strip()
            return None
        if not resolve:
            return None
        if isinstance(node, ast.Name):
            return self.consts.get(path, node.id)
        if isinstance(node, ast.Attribute):
            inner = node
            if node.attr == "value" and isinstance(node.value, ast.Attribute):
                inner = node.value
            if isinstance(inner.value, ast.Name):
                return self.consts.get(path, inner.value.id + "." + inner.attr)
        return None

    def literal(self, path, node):
        """A JSON-able literal (dicts, lists, numbers, text, True...)."""
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    return None
                kk = self.text(path, k)
                vv = self.literal(path, v)
                if kk is None or vv is _NO:
                    return _NO
                out[kk] = vv
            return out
        if isinstance(node, (ast.List, ast.Tuple)):
            out = []
            for e in node.elts:
                v = self.literal(path, e)
                if v is _NO:
                    return _NO
                out.append(v)
            return out
        if isinstance(node, ast.Constant) and (
                node.value is None or isinstance(node.value, (bool, int, float))):
            return node.value
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
                and isinstance(node.operand.value, (int, float))):
            return -node.operand.value
        t = self.text(path, node)
        if t is not None:
            return t
        return _NO

    # -- annotations --
    def ann_type(self, node):
        """(json type, enum or None, Field call or None) of an annotation."""
        field = None
        if node is None:
            return "string", None, None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return "string", None, None
        if isinstance(node, ast.Subscript):
            base = _dotted(node.value).split(".")[-1]
            sl = node.slice
            elts = sl.elts if isinstance(sl, ast.Tuple) else [sl]
            if base == "Annotated":
                t, e, f = self.ann_type(elts[0])
                for x in elts[1:]:
                    if isinstance(x, ast.Call) and _dotted(x.func).split(".")[-1] in ("Field", "Param", "Parameter"):
                        f = x
                    elif (isinstance(x, ast.Constant) and isinstance(x.value, str)
                          and f is None):
                        f = x
                return t, e, f
            if base in ("Optional",):
                return self.ann_type(elts[0])
            if base == "Union":
                real = [x for x in elts if not _is_none(x)]
                if len(real) == 1:
                    return self.ann_type(real[0])
                return "string", None, None
            if base == "Literal":
                vals = [x.value for x in elts if isinstance(x, ast.Constant)]
                if vals and all(isinstance(v, str) for v in vals):
                    return "string", vals, None
                if vals and all(isinstance(v, bool) for v in vals):
                    return "boolean", None, None
                if vals and all(isinstance(v, int) for v in vals):
                    return "integer", vals, None
                return "string", None, None
            if base in ("list", "List", "Sequence", "set", "Set", "tuple",
                        "Tuple", "Iterable"):
                return "array", None, None
            if base in ("dict", "Dict", "Mapping"):
                return "object", None, None
            return "string", None, None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            parts = []

            def flat(n):
                if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
                    flat(n.left)
                    flat(n.right)
                else:
                    parts.append(n)
            flat(node)
            real = [x for x in parts if not _is_none(x)]
            if len(real) == 1:
                return self.ann_type(real[0])
            return "string", None, None
        name = _dotted(node).split(".")[-1]
        m = {"str": "string", "int": "integer", "float": "number",
             "bool": "boolean", "list": "array", "List": "array",
             "dict": "object", "Dict": "object", "tuple": "array",
             "set": "array", "Any": None}
        if name in m:
            return m[name], None, None
        if name in self.classes:
            cls = self.classes[name]
            bases = [_dotted(b).split(".")[-1] for b in cls.bases]
            if "BaseModel" in bases or "TypedDict" in bases:
                return "object", None, None
        return "string", None, None

    def field_desc(self, path, f):
        if f is None:
            return None
        if isinstance(f, ast.Constant):
            return f.value if isinstance(f.value, str) else None
        for k in f.keywords:
            if k.arg == "description":
                return self.text(path, k.value)
        return None

    def prop(self, path, ann, default):
        t, enum, f = self.ann_type(ann)
        if isinstance(default, ast.Call) and _dotted(default.func).split(".")[-1] in ("Field", "Param", "Parameter"):
            f = f if self.field_desc(path, f) is not None else default
            fd = default
        else:
            fd = None
        p = {}
        if t:
            p["type"] = t
        if enum:
            p["enum"] = enum
        d = self.field_desc(path, f) if not isinstance(f, ast.Constant) else f.value
        if d is None and fd is not None:
            d = self.field_desc(path, fd)
        if d is not None:
            p["description"] = d
        # required: no default, or a Field(...) default without one
        fields = [x for x in (f, fd) if isinstance(x, ast.Call)]
        if default is not None and fd is None:
            required = False
        elif fd is not None:
            required = not _field_has_default(fd)
        else:
            required = True
        if any(_field_has_default(x) for x in fields):
            required = False
        return p, required


    def params_schema(self, path, fn, for_prompt=False):
        a = fn.args
        args = a.posonlyargs + a.args
        defaults = [None] * (len(args) - len(a.defaults)) + list(a.defaults)
        pairs = list(zip(args, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
        props, req, pargs = {}, [], []
        for arg, dflt in pairs:
            if arg.arg in ("self", "cls"):
                continue
            an = _dotted(arg.annotation) if arg.annotation is not None else ""
            if (arg.annotation is not None and "Context" in ast.dump(arg.annotation)) \
                    or (arg.arg in ("ctx", "context") and arg.annotation is None):
                continue
            p, required = self.prop(path, arg.annotation, dflt)
            props[arg.arg] = p
            if required:
                req.append(arg.arg)
            pa = {"name": arg.arg}
            if "description" in p:
                pa["description"] = p["description"]
            pa["required"] = required
            pargs.append(pa)
        if for_prompt:
            return pargs
        schema = {"type": "object", "properties": props}
        if req:
            schema["required"] = req
        return schema

    def func(self, path, node):
        """The function a Name or X.attr refers to, preferring this file."""
        if isinstance(node, ast.Name):
            nm = node.id
        elif isinstance(node, ast.Attribute):
            nm = node.attr
        else:
            return None
        c = self.funcs.get(nm, [])
        for pth, fn in c:
            if pth == path:
                return pth, fn
        return c[0] if len(c) == 1 else None

    def self_name(self, path, call):
        """name=self.name in a class whose __init__ calls
        super().__init__("literal")."""
        cls = self.owner.get(id(call))
        if cls is None:
            return None
        for st in cls.body:
            if isinstance(st, ast.FunctionDef) and st.name == "__init__":
                for n in ast.walk(st):
                    if (isinstance(n, ast.Call) and _dotted(n.func) == "super().__init__"
                            and len(n.args) == 1):
                        return self.text(path, n.args[0])
        return None

    def model_schema(self, cname):
        cls = self.classes.get(cname)
        if cls is None:
            return None
        path = None
        for pth, tree in self.files:
            if any(n is cls for n in tree.body):
                path = pth
        props, req = {}, []
        for st in cls.body:
            if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
                nm = st.target.id
                if nm.startswith("_") or nm == "model_config":
                    continue
                p, required = self.prop(path, st.annotation, st.value)
                props[nm] = p
                if required:
                    req.append(nm)
        s = {"type": "object", "properties": props}
        if req:
            s["required"] = req
        return s


_NO = object()


def _field_has_default(fc):
    if fc.args and not (isinstance(fc.args[0], ast.Constant)
                        and fc.args[0].value is Ellipsis):
        return True
    for k in fc.keywords:
        if k.arg in ("default", "default_factory"):
            if not (isinstance(k.value, ast.Constant) and k.value.value is Ellipsis):
                return True
    return False



def _is_none(n):
    return (isinstance(n, ast.Constant) and n.value is None) or \
        (isinstance(n, ast.Name) and n.id == "None")


def _dotted(n):
    if isinstance(n, ast.Name):
        return n.id
    if isinstance(n, ast.Attribute):
        return _dotted(n.value) + "." + n.attr
    if isinstance(n, ast.Call):
        return _dotted(n.func) + "()"
    if isinstance(n, ast.Subscript):
        return _dotted(n.value)
    return ""


def _kw(call, name):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def _docstring(fn):
    d = ast.get_docstring(fn, clean=False)
    if d is None:
        return None
    return inspect.cleandoc(d)


def _deco_kind(d, wrappers=()):
    """('tool'|'prompt'|'resource', Call or None) for @X.tool etc.; also
    @W / @W(...) where W is a function of the server's own that calls
    X.tool (a registering wrapper)."""
    call = None
    if isinstance(d, ast.Call):
        call, d = d, d.func
    if isinstance(d, ast.Attribute) and d.attr in ("tool", "prompt", "resource"):
        return d.attr, call
    if isinstance(d, ast.Name) and d.id in wrappers:
        return "tool", call
    return None, None


def _wrappers(parsed):
    out = set()
    for path, tree in parsed:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for n in ast.walk(node):
                    if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                            and n.func.attr == "tool"):
                        out.add(node.name)
                        break
    return out


def _imports_fastmcp_tool(tree):
    for n in tree.body:
        if (isinstance(n, ast.ImportFrom) and n.module in ("fastmcp.tools", "fastmcp.tools.tool")
                and any(a.name == "tool" and a.asname is None for a in n.names)):
            return True
    return False


def py_extract(repo, files):
    parsed = []
    for f in files:
        src = git(repo, "show", "HEAD:" + f).decode("utf-8")
        try:
            parsed.append((f, ast.parse(src)))
        except SyntaxError:
            continue
    P = Py(parsed)
    wrappers = _wrappers(parsed)
    tools, resources, prompts = [], [], []
    instructions = None
    seen = set()
    notes = []

    def add_tool(path, name, desc, schema):
        if name is None or name in seen:
            return
        seen.add(name)
        tools.append({"name": name, "description": desc if desc is not None else "",
                      "inputSchema": schema})

    def fn_tool(path, fn, call):
        name = desc = None
        if call is not None:
            n = _kw(call, "name")
            name = P.text(path, n) if n is not None else None
            if name is None and call.args and not isinstance(call.args[0], (ast.Name, ast.Lambda)):
                name = P.text(path, call.args[0])
            dn = _kw(call, "description")
            if dn is not None:
                desc = P.text(path, dn)
            if n is not None and name is None:
                notes.append("tool name not literal: " + fn.name)
                return
            if dn is not None and desc is None and not _is_none(dn):
                notes.append("tool description not literal: " + (name or fn.name))
                return
        if name is None:
            name = fn.name
        if desc is None:
            desc = _docstring(fn)
        add_tool(path, name, desc, P.params_schema(path, fn))

    for path, tree in parsed:
        # FastMCP 3's standalone decorator: "from fastmcp.tools import
        # tool", then @tool / @tool(...) (the file's own import only)
        fw = wrappers | {"tool"} if _imports_fastmcp_tool(tree) else wrappers
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for d in node.decorator_list:
                    kind, call = _deco_kind(d, fw)
                    if kind == "tool":
                        fn_tool(path, node, call)
                    elif kind == "prompt":
                        name = desc = None
                        if call is not None:
                            n = _kw(call, "name")
                            name = P.text(path, n) if n is not None else (
                                P.text(path, call.args[0]) if call.args else None)
                            dn = _kw(call, "description")
                            desc = P.text(path, dn) if dn is not None else None
                        pr = {"name": name or node.name,
                              "description": desc if desc is not None else (_docstring(node) or "")}
                        pr["arguments"] = P.params_schema(path, node, for_prompt=True)
                        if pr["name"] not in [x["name"] for x in prompts]:
                            prompts.append(pr)
                    elif kind == "resource" and call is not None:
                        uri = P.text(path, call.args[0]) if call.args else (
                            P.text(path, _kw(call, "uri")) if _kw(call, "uri") is not None else None)
                        if uri is None or "{" in uri:
                            continue
                        n = _kw(call, "name")
                        dn = _kw(call, "description")
                        r = {"uri": uri,
                             "name": (P.text(path, n) if n is not None else None) or node.name,
                             "description": (P.text(path, dn) if dn is not None else None) or (_docstring(node) or "")}
                        mt = _kw(call, "mime_type")
                        if mt is not None and P.text(path, mt) is not None:
                            r["mimeType"] = P.text(path, mt)
                        if uri not in [x["uri"] for x in resources]:
                            resources.append(r)
            elif isinstance(node, ast.Call):
                fnm = _dotted(node.func)
                last = fnm.split(".")[-1]
                # X.tool(fn, name=..., description=...)  /  X.add_tool(fn, ...)
                if last in ("tool", "add_tool") and isinstance(node.func, ast.Attribute) \
                        and node.args:
                    a0 = node.args[0]
                    if isinstance(a0, ast.Call) and _dotted(a0.func).split(".")[-1] == "from_function" and a0.args:
                        inner = a0
                    else:
                        inner = node
                        a0 = node
                    f0 = inner.args[0]
                    ff = P.func(path, f0)
                    if ff is not None:
                        fpath, fn = ff
                        fake = ast.Call(func=inner.func, args=[], keywords=inner.keywords)
                        if inner is not node:
                            fake.keywords = inner.keywords + node.keywords
                        fn_tool(fpath, fn, fake)
                # X.tool(...)(fn)
                elif isinstance(node.func, ast.Call) and _dotted(node.func.func).split(".")[-1] == "tool" \
                        and node.args and P.func(path, node.args[0]) is not None:
                    fpath, fn = P.func(path, node.args[0])
                    fn_tool(fpath, fn, node.func)
                # low-level Tool(name=..., description=..., inputSchema=...)
                elif last == "Tool" and _kw(node, "name") is not None:
                    name = P.text(path, _kw(node, "name"))
                    if name is None and _dotted(_kw(node, "name")) == "self.name":
                        name = P.self_name(path, node)
                    if name is None:
                        notes.append("Tool() name not literal in " + path)
                        continue
                    dn = _kw(node, "description")
                    desc = P.text(path, dn) if dn is not None else ""
                    if desc is None:
                        notes.append("Tool() description not literal: " + name)
                        desc = None
                    sn = _kw(node, "inputSchema") or _kw(node, "input_schema")
                    schema = None
                    if sn is not None:
                        v = P.literal(path, sn)
                        if v is not _NO and isinstance(v, dict):
                            schema = v
                        elif isinstance(sn, ast.Call) and _dotted(sn.func).split(".")[-1] in ("model_json_schema", "schema"):
                            schema = P.model_schema(_dotted(sn.func).split(".")[-2])
                    if schema is None:
                        schema = {"type": "object", "properties": {}}
                    if desc is None:
                        continue
                    add_tool(path, name, desc, schema)
                elif last in ("FastMCP", "Server", "MCPServer") and instructions is None:
                    ins = _kw(node, "instructions")
                    if ins is not None:
                        instructions = P.text(path, ins)
    return instructions, tools, resources, prompts, notes


# ====================================================================
# Go
# ====================================================================

GO_ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
          "v": "\v", "\\": "\\", "'": "'", '"': '"'}


def go_unquote(s):
    if s[0] == "`":
        return s[1:-1].replace("\r", "")
    body = s[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e in GO_ESC:
            out += GO_ESC[e].encode()
            i += 2
        elif e == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            out += chr(int(body[i + 2:i + 6], 16)).encode("utf-8")
            i += 6
        elif e == "U":
            out += chr(int(body[i + 2:i + 10], 16)).encode("utf-8")
            i += 10
        elif e in "01234567":
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        else:
            raise ValueError("bad escape")
    return out.decode("utf-8")


def go_skip(src, i):
    """Index after a string, rune or comment starting at i, else None."""
    c = src[i]
    if c == '"' or c == "'":
        j = i + 1
        while src[j] != c:
            j += 2 if src[j] == "\\" else 1
        return j + 1
    if c == "`":
        return src.index("`", i + 1) + 1
    if src.startswith("//", i):
        j = src.find("\n", i)
        return len(src) if j < 0 else j
    if src.startswith("/*", i):
        return src.index("*/", i) + 2
    return None


def go_group(src, i):
    """src[i] is ( [ or {; index of its matching close."""
    depth = 0
    while i < len(src):
        j = go_skip(src, i)
        if j is not None:
            i = j
            continue
        c = src[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced")


def go_split(body):
    """Top-level comma-separated parts of body."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        j = go_skip(body, i)
        if j is not None:
            i = j
            continue
        c = body[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return [p for p in (go_strip(x) for x in parts) if p]


def go_strip(s):
    # drop comments and surrounding space
    out, i = [], 0
    while i < len(s):
        if s.startswith("//", i) or s.startswith("/*", i):
            i = go_skip(s, i)
            out.append(" ")
            continue
        j = go_skip(s, i)
        if j is not None:
            out.append(s[i:j])
            i = j
            continue
        out.append(s[i])
        i += 1
    return "".join(out).strip()


class Go:
    def __init__(self, srcs):
        self.srcs = srcs
        self.consts = {}
        cre = re.compile(r'(?m)^\s*(?:const\s+|var\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?:?=\s*'
                         r'("(?:[^"\\\n]|\\.)*"|`[^`]*`)\s*$')
        for path, src in srcs:
            for m in cre.finditer(src):
                k, v = m.group(1), go_unquote(m.group(2))
                if k in self.consts and self.consts[k] != v:
                    self.consts[k] = None
                else:
                    self.consts.setdefault(k, v)

    def text(self, e):
        a = go_split(e)
        if len(a) != 1:
            return None
        e = a[0]
        # a pointer helper: utils.Ptr("text")
        m = re.match(r'^(?:\w+\.)?[Pp]tr\((.*)\)$', e, re.S)
        if m:
            return self.text(m.group(1))
        # t("KEY", "default") translation helper
        m = re.match(r'^(?:t|T|translate|helper)\((.*)\)$', e, re.S)
        if m:
            a = go_split(m.group(1))
            if len(a) == 2:
                return self.text(a[1])
        parts, i = [], 0
        while True:
            while i < len(e) and e[i] in " \t\r\n":
                i += 1
            if i >= len(e):
                return None
            if e[i] in "\"`":
                j = go_skip(e, i)
                parts.append(go_unquote(e[i:j]))
                i = j
            else:
                m = re.match(r"[A-Za-z_][\w.]*", e[i:])
                if not m:
                    return None
                k = m.group(0).split(".")[-1]
                v = self.consts.get(k)
                if v is None:
                    return None
                parts.append(v)
                i += m.end()
            while i < len(e) and e[i] in " \t\r\n":
                i += 1
            if i >= len(e):
                return "".join(parts)
            if e[i] != "+":
                return None
            i += 1

    def calls(self, src, pattern):
        for m in re.finditer(pattern, src):
            # skip matches inside strings/comments: cheap check by position scan
            op = m.end() - 1
            try:
                cl = go_group(src, op)
            except (ValueError, IndexError):
                continue
            yield m, src[op + 1:cl]


def go_opt_call(e):
    m = re.match(r"^(?:[\w]+\.)?(\w+)\s*\((.*)\)$", e, re.S)
    if not m:
        return None, None
    return m.group(1), m.group(2)


def go_extract(repo, files):
    srcs = [(f, git(repo, "show", "HEAD:" + f).decode("utf-8")) for f in files]
    G = Go(srcs)
    tools, resources, prompts, notes = [], [], [], []
    instructions = None
    seen = set()
    found = []  # (path, pos, item)

    types = {"WithString": "string", "WithNumber": "number", "WithInteger": "integer",
             "WithBoolean": "boolean", "WithArray": "array", "WithObject": "object",
             "WithStringSlice": "array", "WithNumberSlice": "array"}

    for path, src in srcs:
        masked = go_mask(src)
        for m in re.finditer(r"\bmcp\.NewTool\s*\(", masked):
            op = m.end() - 1
            body = src[op + 1:go_group(src, op)]
            args = go_split(body)
            if not args:
                continue
            name = G.text(args[0])
            if name is None:
                notes.append("NewTool name not literal in %s: %s" % (path, args[0][:40]))
                continue
            desc, props, req = "", {}, []
            if any(a.endswith("...") for a in args[1:]):
                notes.append("options computed: " + name)
                continue
            for a in args[1:]:
                fn, inner = go_opt_call(a)
                if fn == "WithDescription":
                    d = G.text(inner)
                    if d is None:
                        notes.append("description not literal: " + name)
                        desc = None
                    else:
                        desc = d
                elif fn in types:
                    pa = go_split(inner)
                    pn = G.text(pa[0]) if pa else None
                    if pn is None:
                        continue
                    p = {"type": types[fn]}
                    for o in pa[1:]:
                        ofn, oin = go_opt_call(o)
                        if ofn == "Description":
                            d = G.text(oin)
                            if d is not None:
                                p["description"] = d
                        elif ofn == "Required":
                            req.append(pn)
                        elif ofn == "Enum":
                            ev = [G.text(x) for x in go_split(oin)]
                            if ev and all(x is not None for x in ev):
                                p["enum"] = ev
                    props[pn] = p
            if desc is None:
                continue
            sch = {"type": "object", "properties": props}
            if req:
                sch["required"] = req
            found.append((path, m.start(), {"name": name, "description": desc, "inputSchema": sch}))
        # razorpay-mcp-server's own wrapper: mcpgo.NewTool("name",
        # "description", parameters, handler), parameters a
        # "parameters := []mcpgo.ToolParameter{mcpgo.WithString(...), ...}"
        # of the same function (the last such before the call).
        for m in re.finditer(r"\bmcpgo\.NewTool\s*\(", masked):
            op = m.end() - 1
            args = go_split(src[op + 1:go_group(src, op)])
            if len(args) < 3:
                continue
            name, desc = G.text(args[0]), G.text(args[1])
            if name is None or desc is None:
                notes.append("mcpgo tool not literal in %s" % path)
                continue
            props, req = {}, []
            decl = None
            for dm in re.finditer(r"\b" + re.escape(args[2]) +
                                  r"\s*:?=\s*\[\]mcpgo\.ToolParameter\s*\{", masked[:m.start()]):
                decl = dm
            if decl is not None:
                dop = decl.end() - 1
                for a in go_split(src[dop + 1:go_group(src, dop)]):
                    fn, inner = go_opt_call(a)
                    if fn not in types:
                        continue
                    pa = go_split(inner)
                    pn = G.text(pa[0]) if pa else None
                    if pn is None:
                        continue
                    p = {"type": types[fn]}
                    for o in pa[1:]:
                        ofn, oin = go_opt_call(o)
                        if ofn == "Description" and G.text(oin) is not None:
                            p["description"] = G.text(oin)
                        elif ofn == "Required":
                            req.append(pn)
                    props[pn] = p
            sch = {"type": "object", "properties": props}
            if req:
                sch["required"] = req
            found.append((path, m.start(), {"name": name, "description": desc, "inputSchema": sch}))
        for m in re.finditer(r"\bmcp\.NewToolWithRawSchema\s*\(", masked):
            op = m.end() - 1
            args = go_split(src[op + 1:go_group(src, op)])
            if len(args) < 3:
                continue
            name, desc = G.text(args[0]), G.text(args[1])
            if name is None or desc is None:
                notes.append("raw-schema tool not literal in %s" % path)
                continue
            sch = {"type": "object", "properties": {}}
            rm = re.match(r"^json\.RawMessage\((.*)\)$", args[2], re.S)
            if rm and G.text(rm.group(1)) is not None:
                try:
                    sch = json.loads(G.text(rm.group(1)))
                except ValueError:
                    pass
            found.append((path, m.start(), {"name": name, "description": desc, "inputSchema": sch}))
        for m in re.finditer(r"\b(?:mcp|api)\.Tool\s*\{", masked):
            op = m.end() - 1
            body = src[op + 1:go_group(src, op)]
            fields = go_fields(body)
            if "Name" not in fields:
                continue
            name = G.text(fields["Name"])
            if name is None:
                notes.append("mcp.Tool Name not literal in %s" % path)
                continue
            desc = G.text(fields["Description"]) if "Description" in fields else ""
            if desc is None:
                notes.append("description not literal: " + name)
                continue
            sch = go_schema(G, fields.get("InputSchema", ""))
            found.append((path, m.start(), {"name": name, "description": desc, "inputSchema": sch}))
        for m in re.finditer(r"\b(?:\w+\.)?(?:MustTool|ConvertTool)\s*\(", masked):
            op = m.end() - 1
            args = go_split(src[op + 1:go_group(src, op)])
            if len(args) < 2 or masked[m.start():m.start() + 4] == "func":
                continue
            name, desc = G.text(args[0]), G.text(args[1])
            if name is None or desc is None:
                continue
            found.append((path, m.start(), {"name": name, "description": desc,
                                            "inputSchema": {"type": "object", "properties": {}}}))
        for m in re.finditer(r"\bmcp\.NewResource\s*\(", masked):
            op = m.end() - 1
            args = go_split(src[op + 1:go_group(src, op)])
            if len(args) < 2:
                continue
            uri, nm = G.text(args[0]), G.text(args[1])
            if uri is None or nm is None:
                continue
            r = {"uri": uri, "name": nm}
            for a in args[2:]:
                fn, inner = go_opt_call(a)
                if fn == "WithResourceDescription" and G.text(inner) is not None:
                    r["description"] = G.text(inner)
                elif fn == "WithMIMEType" and G.text(inner) is not None:
                    r["mimeType"] = G.text(inner)
            if uri not in [x["uri"] for x in resources]:
                resources.append(r)
        for m in re.finditer(r"\bmcp\.NewPrompt\s*\(", masked):
            op = m.end() - 1
            args = go_split(src[op + 1:go_group(src, op)])
            if not args or G.text(args[0]) is None:
                continue
            pr = {"name": G.text(args[0]), "description": ""}
            pargs = []
            for a in args[1:]:
                fn, inner = go_opt_call(a)
                if fn == "WithPromptDescription" and G.text(inner) is not None:
                    pr["description"] = G.text(inner)
                elif fn == "WithArgument":
                    aa = go_split(inner)
                    an = G.text(aa[0]) if aa else None
                    if an is None:
                        continue
                    x = {"name": an}
                    for o in aa[1:]:
                        ofn, oin = go_opt_call(o)
                        if ofn == "ArgumentDescription" and G.text(oin) is not None:
                            x["description"] = G.text(oin)
                        elif ofn == "RequiredArgument":
                            x["required"] = True
                    pargs.append(x)
            pr["arguments"] = pargs
            if pr["name"] not in [x["name"] for x in prompts]:
                prompts.append(pr)
        if instructions is None:
            for m in re.finditer(r"\bserver\.WithInstructions\s*\(", masked):
                op = m.end() - 1
                t = G.text(src[op + 1:go_group(src, op)])
                if t is not None:
                    instructions = t
                    break
    for path, pos, item in found:
        if item["name"] in seen:
            continue
        seen.add(item["name"])
        tools.append(item)
    return instructions, tools, resources, prompts, notes


def go_mask(src):
    """src with strings and comments blanked (same length), to search code."""
    out, i = [], 0
    while i < len(src):
        j = go_skip(src, i) if src[i] in "\"'`/" else None
        if j is not None and j > i:
            out.append("".join(ch if ch == "\n" else " " for ch in src[i:j]))
            i = j
            continue
        out.append(src[i])
        i += 1
    return "".join(out)


def go_fields(body):
    out = {}
    for p in go_split(body):
        m = re.match(r"^(\w+)\s*:\s*(.*)$", p, re.S)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def go_schema(G, e):
    sch = {"type": "object", "properties": {}}
    m = re.search(r"Properties\s*:\s*map\[string\]\*?(?:\w+\.)?(?:Schema|Property)\s*\{", e)
    if m:
        op = m.end() - 1
        body = e[op + 1:go_group(e, op)]
        for p in go_split(body):
            mm = re.match(r'^("(?:[^"\\]|\\.)*"|\w+)\s*:\s*(?:&?(?:\w+\.)?(?:Schema|Property))?\s*\{(.*)\}$', p, re.S)
            if not mm:
                continue
            key = G.text(mm.group(1))
            if key is None:
                continue
            f = go_fields(mm.group(2))
            pr = {}
            if "Type" in f and G.text(f["Type"]) is not None:
                pr["type"] = G.text(f["Type"])
            if "Description" in f and G.text(f["Description"]) is not None:
                pr["description"] = G.text(f["Description"])
            if "Enum" in f:
                em = re.match(r"^\[\]any\s*\{(.*)\}$", f["Enum"], re.S)
                if em:
                    ev = [G.text(x) for x in go_split(em.group(1))]
                    if ev and all(x is not None for x in ev):
                        pr["enum"] = ev
            sch["properties"][key] = pr
    top = go_fields(e[e.find("{") + 1:e.rfind("}")]) if "{" in e else {}
    if "Required" in top:
        rm = re.match(r"^\[\]string\s*\{(.*)\}$", top["Required"], re.S)
        if rm:
            rq = [G.text(x) for x in go_split(rm.group(1))]
            if rq and all(x is not None for x in rq):
                sch["required"] = rq
    return sch


# ====================================================================

def main():
    argv = sys.argv[1:]
    table = os.environ.get("FETCH_SRC_TABLE", "benign6")
    if argv[:1] == ["--table"] and len(argv) >= 2:
        table, argv = argv[1], argv[2:]
    tables = {"benign6": SERVERS, "benign7": SERVERS7}
    if not argv or table not in tables:
        sys.exit("usage: fetch-src.py [--table benign6|benign7] OUTDIR [NAME...]")
    outdir, only = argv[0], set(argv[1:])
    os.makedirs(outdir, exist_ok=True)
    for name, repo, lang, paths, skip in tables[table]:
        if only and name not in only:
            continue
        commit = git(repo, "rev-parse", "HEAD").decode().strip()[:12]
        files = repo_files(repo, lang, paths, skip)
        ex = py_extract if lang == "py" else go_extract
        instructions, tools, resources, prompts, notes = ex(repo, files)
        where = " ".join(p if p else "(whole repository)" for p in paths)
        doc = {"source": "github %s@%s %s, read statically by fetch-src.py"
                         % (repo, commit, where),
               "poisoned": [], "instructions": instructions, "tools": tools,
               "resources": resources, "prompts": prompts}
        with open(os.path.join(outdir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("%-55s %4d tools %3d res %3d prompts %s%s" % (
            name, len(tools), len(resources), len(prompts),
            "instr " if instructions else "", "; ".join(notes[:3]) +
            (" (+%d)" % (len(notes) - 3) if len(notes) > 3 else "")),
            file=sys.stderr)


# ---- SERVERS_TABLE ----
# Tried and left out (fetched, read by this script, nothing kept):
#   qdrant/mcp-server-qdrant (py-qdrant-mcp-server-qdrant): tools registered with self.tool(fn, name=<setting>, description=<setting>): names and text from settings
#   neo4j-contrib/mcp-neo4j (py-neo4j-contrib-mcp-neo4j-cypher): tool names computed (namespace_prefix + "...")
#   neo4j-contrib/mcp-neo4j (py-neo4j-contrib-mcp-neo4j-memory): tool names computed (namespace_prefix + "...")
#   neo4j-contrib/mcp-neo4j (py-neo4j-contrib-mcp-neo4j-data-modeling): tool names computed (namespace_prefix + "...")
#   neo4j-contrib/mcp-neo4j (py-neo4j-contrib-mcp-neo4j-cloud-aura-api): tool names computed (namespace_prefix + "...")
#   dbt-labs/dbt-mcp (py-dbt-labs-dbt-mcp): tools registered by its own register_tools() from definition objects
#   Couchbase-Ecosystem/mcp-server-couchbase (py-couchbase-ecosystem-mcp-server-couchbase): tools registered in a loop over a list of functions
#   pab1it0/prometheus-mcp-server (py-pab1it0-prometheus-mcp-server): tool names computed (_tool_name("..."))
#   PagerDuty/pagerduty-mcp-server (py-pagerduty-pagerduty-mcp-server): tools registered in a loop over lists of functions
#   googleanalytics/google-analytics-mcp (py-googleanalytics-google-analytics-mcp): tools wrapped as Google ADK FunctionTools and converted at run time
#   microsoft/fabric-rti-mcp (py-microsoft-fabric-rti-mcp): tools registered in a loop over service modules
#   alphavantage/alpha_vantage_mcp (py-alphavantage-alpha-vantage-mcp): meta-tools whose descriptions are imported constants built at run time; the API tools from a registry
#   rohitg00/kubectl-mcp-server (py-rohitg00-kubectl-mcp-server): 313 tools, more than 150 (and some 15 % of the corpus alone)
#   varunneal/spotify-mcp (py-varunneal-spotify-mcp): tool names computed from class names (types.Tool(name=cls.__name__...))
#   echelon-ai-labs/servicenow-mcp (py-echelon-ai-labs-servicenow-mcp): tools loaded from a configuration at run time (one static tool found)
#   Snowflake-Labs/mcp (py-snowflake-labs-mcp): tools chosen by a YAML configuration at run time
#   runekaagaard/mcp-alchemy (py-runekaagaard-mcp-alchemy): descriptions are f-strings with an expression (the database's info): no tool left
#   VictoriaMetrics-Community/mcp-victoriametrics (go-victoriametrics-community-mcp-victoriametrics): 27 of its 30 tools built from an options slice computed at run time (mcp.NewTool(name, options...)): 3 left, too partial
#   awslabs/mcp src/aws-api-mcp-server (py-awslabs-mcp-aws-api-mcp-server): its 3 tools' descriptions are f-strings with an expression (a deprecation message or not): no tool left
#   genomoncology/biomcp: its server is now written in Rust
#   getsentry/sentry-mcp, mongodb-js/mongodb-mcp-server, elastic/mcp-server-elasticsearch:
#     TypeScript (or Rust), and npm packages of theirs are in ../benign/
#   containers/kubernetes-mcp-server (Go): its npm package is in ../benign/
#   harness/mcp-server: no Go or Python server in its snapshot (a stub only)
#   weaviate/mcp-server-weaviate: no Go source in its snapshot
#   opensearch-project/opensearch-mcp-server-py, tuannvm/mcp-trino, gitea/gitea-mcp,
#   opslevel/opslevel-mcp, modelcontextprotocol/servers-archived: no snapshot to be had
S("py-modelcontextprotocol-servers-fetch", "modelcontextprotocol/servers", "py", ["src/fetch/src"])
S("py-modelcontextprotocol-servers-git", "modelcontextprotocol/servers", "py", ["src/git/src"])
S("py-modelcontextprotocol-servers-time", "modelcontextprotocol/servers", "py", ["src/time/src"])
S("py-awslabs-mcp-aws-documentation-mcp-server", "awslabs/mcp", "py", ["src/aws-documentation-mcp-server/awslabs"])
S("py-awslabs-mcp-dynamodb-mcp-server", "awslabs/mcp", "py", ["src/dynamodb-mcp-server/awslabs"])
S("py-awslabs-mcp-eks-mcp-server", "awslabs/mcp", "py", ["src/eks-mcp-server/awslabs"])
S("py-awslabs-mcp-ecs-mcp-server", "awslabs/mcp", "py", ["src/ecs-mcp-server/awslabs"])
S("py-awslabs-mcp-cloudwatch-mcp-server", "awslabs/mcp", "py", ["src/cloudwatch-mcp-server/awslabs"])
S("py-awslabs-mcp-aws-pricing-mcp-server", "awslabs/mcp", "py", ["src/aws-pricing-mcp-server/awslabs"])
S("py-awslabs-mcp-iam-mcp-server", "awslabs/mcp", "py", ["src/iam-mcp-server/awslabs"])
S("py-awslabs-mcp-aws-serverless-mcp-server", "awslabs/mcp", "py", ["src/aws-serverless-mcp-server/awslabs"])
S("py-awslabs-mcp-billing-cost-management-mcp-server", "awslabs/mcp", "py", ["src/billing-cost-management-mcp-server/awslabs"])
S("py-blazickjp-arxiv-mcp-server", "blazickjp/arxiv-mcp-server", "py", ["src/arxiv_mcp_server"])
S("py-markuspfundstein-mcp-obsidian", "MarkusPfundstein/mcp-obsidian", "py", ["src/mcp_obsidian"])
S("py-ahujasid-blender-mcp", "ahujasid/blender-mcp", "py", ["src/blender_mcp"])
S("py-redis-mcp-redis", "redis/mcp-redis", "py", ["src"])
S("py-microsoft-markitdown-markitdown-mcp", "microsoft/markitdown", "py", ["packages/markitdown-mcp/src"])
S("py-sooperset-mcp-atlassian", "sooperset/mcp-atlassian", "py", ["src/mcp_atlassian"])
S("py-clickhouse-mcp-clickhouse", "ClickHouse/mcp-clickhouse", "py", ["mcp_clickhouse"])
S("py-chroma-core-chroma-mcp", "chroma-core/chroma-mcp", "py", ["src/chroma_mcp"])
S("py-motherduckdb-mcp-server-motherduck", "motherduckdb/mcp-server-motherduck", "py", ["src/mcp_server_motherduck"])
S("py-datalayer-jupyter-mcp-server", "datalayer/jupyter-mcp-server", "py", ["jupyter_mcp_server"])
S("py-gongrzhe-office-word-mcp-server", "GongRzhe/Office-Word-MCP-Server", "py", ["word_document_server"])
S("py-haris-musa-excel-mcp-server", "haris-musa/excel-mcp-server", "py", ["src/excel_mcp"])
S("py-kagisearch-kagimcp", "kagisearch/kagimcp", "py", ["src/kagimcp"])
S("py-elevenlabs-elevenlabs-mcp", "elevenlabs/elevenlabs-mcp", "py", ["elevenlabs_mcp"])
S("py-alpacahq-alpaca-mcp-server", "alpacahq/alpaca-mcp-server", "py", ["src/alpaca_mcp_server"])
S("py-financial-datasets-mcp-server", "financial-datasets/mcp-server", "py", [""])
S("py-lharries-whatsapp-mcp", "lharries/whatsapp-mcp", "py", ["whatsapp-mcp-server"])
S("py-pydantic-logfire-mcp", "pydantic/logfire-mcp", "py", ["logfire_mcp"])
S("py-ckreiling-mcp-server-docker", "ckreiling/mcp-server-docker", "py", ["src/mcp_server_docker"])
S("py-designcomputer-mysql-mcp-server", "designcomputer/mysql_mcp_server", "py", ["src/mysql_mcp_server"])
S("py-crystaldba-postgres-mcp", "crystaldba/postgres-mcp", "py", ["src/postgres_mcp"])
S("py-nickclyde-duckduckgo-mcp-server", "nickclyde/duckduckgo-mcp-server", "py", ["src/duckduckgo_mcp_server"])
S("py-starrocks-mcp-server-starrocks", "StarRocks/mcp-server-starrocks", "py", ["src/mcp_server_starrocks"])
S("py-narumiruna-yfinance-mcp", "narumiruna/yfinance-mcp", "py", ["src/yfmcp"])
S("py-rusiaaman-wcgw", "rusiaaman/wcgw", "py", ["src/wcgw"])
S("go-github-github-mcp-server", "github/github-mcp-server", "go", ["pkg", "cmd"])
S("go-grafana-mcp-grafana", "grafana/mcp-grafana", "go", [""], [r"^internal/"])
S("go-isaacphi-mcp-language-server", "isaacphi/mcp-language-server", "go", ["internal/tools", "main.go", "tools.go"])
S("go-mark3labs-mcp-filesystem-server", "mark3labs/mcp-filesystem-server", "go", ["filesystemserver"])
S("go-hashicorp-terraform-mcp-server", "hashicorp/terraform-mcp-server", "go", ["pkg", "cmd"])
S("go-azure-aks-mcp", "Azure/aks-mcp", "go", ["internal"])
S("go-buildkite-buildkite-mcp-server", "buildkite/buildkite-mcp-server", "go", ["pkg", "internal"])
S("go-korotovsky-slack-mcp-server", "korotovsky/slack-mcp-server", "go", ["pkg", "cmd"])
S("py-taylorwilsdon-google-workspace-mcp", "taylorwilsdon/google_workspace_mcp", "py", [""])
S("py-getzep-graphiti-mcp-server", "getzep/graphiti", "py", ["mcp_server/src"])
S("py-semgrep-mcp", "semgrep/mcp", "py", ["src/semgrep_mcp"])
S("py-mrexodia-ida-pro-mcp", "mrexodia/ida-pro-mcp", "py", ["src/ida_pro_mcp"])
S("py-lauriewired-ghidramcp", "LaurieWired/GhidraMCP", "py", ["bridge_mcp_ghidra.py"])
S("py-google-mcp-security-gti", "google/mcp-security", "py", ["server/gti"])
S("py-google-mcp-security-secops", "google/mcp-security", "py", ["server/secops"])
S("py-wandb-wandb-mcp-server", "wandb/wandb-mcp-server", "py", ["src/wandb_mcp_server"])
S("py-zilliztech-mcp-server-milvus", "zilliztech/mcp-server-milvus", "py", ["src/mcp_server_milvus"])
S("py-polygon-io-mcp-polygon", "polygon-io/mcp_polygon", "py", ["src/mcp_polygon"])
S("py-topoteretes-cognee-mcp", "topoteretes/cognee", "py", ["cognee-mcp/src"])
S("py-voska-hass-mcp", "voska/hass-mcp", "py", ["app"])
S("py-54yyyu-zotero-mcp", "54yyyu/zotero-mcp", "py", ["src/zotero_mcp"])
S("py-openags-paper-search-mcp", "openags/paper-search-mcp", "py", ["paper_search_mcp"])
S("py-ahujasid-ableton-mcp", "ahujasid/ableton-mcp", "py", ["MCP_Server"])
S("py-jjsantos01-qgis-mcp", "jjsantos01/qgis_mcp", "py", ["src/qgis_mcp"])
S("py-minimax-ai-minimax-mcp", "MiniMax-AI/MiniMax-MCP", "py", ["minimax_mcp"])
S("py-tinybirdco-mcp-tinybird", "tinybirdco/mcp-tinybird", "py", ["src/mcp_tinybird"])
S("py-xing5-mcp-google-sheets", "xing5/mcp-google-sheets", "py", ["src/mcp_google_sheets"])
S("py-stickerdaniel-linkedin-mcp-server", "stickerdaniel/linkedin-mcp-server", "py", ["linkedin_mcp_server"])
S("py-ktanaka101-mcp-server-duckdb", "ktanaka101/mcp-server-duckdb", "py", ["src/mcp_server_duckdb"])
S("py-adhikasp-mcp-twikit", "adhikasp/mcp-twikit", "py", ["src/mcp_twikit"])
S("py-szeider-mcp-solver", "szeider/mcp-solver", "py", ["src/mcp_solver"])
S("py-greatscottymac-context-portal", "GreatScottyMac/context-portal", "py", ["src/context_portal_mcp"])
S("py-vectara-vectara-mcp", "vectara/vectara-mcp", "py", ["vectara_mcp"])
S("py-andybrandt-mcp-simple-pubmed", "andybrandt/mcp-simple-pubmed", "py", ["mcp_simple_pubmed"])
S("py-mem0ai-mem0-mcp", "mem0ai/mem0-mcp", "py", ["src/mem0_mcp_server"])
S("py-e2b-dev-mcp-server", "e2b-dev/mcp-server", "py", ["packages/python"])
S("py-wh0am123-mcp-kali-server", "Wh0am123/MCP-Kali-Server", "py", ["client.py"])
S("go-zerodha-kite-mcp-server", "zerodha/kite-mcp-server", "go", ["mcp"])
S("go-stackloklabs-osv-mcp", "StacklokLabs/osv-mcp", "go", ["pkg", "cmd"])
S("go-grafana-loki-mcp", "grafana/loki-mcp", "go", ["cmd", "internal"])
S("go-strowk-mcp-k8s-go", "strowk/mcp-k8s-go", "go", ["internal", "main.go"])
S("go-nguyenvanduocit-jira-mcp", "nguyenvanduocit/jira-mcp", "go", ["tools", "main.go"])
S("go-geropl-linear-mcp-go", "geropl/linear-mcp-go", "go", ["pkg"])
S("go-dolthub-dolt-mcp", "dolthub/dolt-mcp", "go", ["mcp"])
S("go-signoz-signoz-mcp-server", "SigNoz/signoz-mcp-server", "go", ["internal", "cmd"])

# ---- SERVERS7_TABLE (benign7) ----
# Tried and left out (fetched, read by this script, nothing kept):
#   last9/last9-mcp-server (go-last9-last9-mcp-server): its 44 tools' descriptions are variables set from another package's at run time: none literal
#   oschina/mcp-gitee (go-oschina-mcp-gitee): 14 of its 29 tools' options built at run time (mcp.NewTool(name, options...)) or names from variables: 15 left, too partial
#   metoro-io/metoro-mcp-server (go-metoro-io-metoro-mcp-server): tools a slice of its own structs registered with RegisterTool(tool.Name, tool.Description, ...), parameters by reflection: a pattern this script lacks
#   singlestore-labs/mcp-server-singlestore (py-singlestore-labs-mcp-server-singlestore): tools registered in a loop over a filtered list (mcp.tool(name=tool_name, description=func.__doc__))
#   alexander-zuev/supabase-mcp-server (py-alexander-zuev-supabase-mcp-server): descriptions computed (tool_manager.get_description(...))
#   RichardHan/mssql_mcp_server (py-richardhan-mssql-mcp-server): its one tool's name a variable (name=command)
#   apache/doris-mcp-server (py-apache-doris-mcp-server): tools listed through a domain dispatcher and capability registry built at run time
#   awslabs/mcp src/aws-network-mcp-server (py-awslabs-mcp-aws-network-mcp-server): tools registered in a loop (mcp.tool(getattr(module, tool_name)))
#   awslabs/mcp src/amazon-sns-sqs-mcp-server: its tools generated from boto3 operations at run time (2 static overrides only, without text)
#   stefanoamorelli/sec-edgar-mcp (py-stefanoamorelli-sec-edgar-mcp): tools registered in a loop (mcp.add_tool(tool))
#   aliyun/alibaba-cloud-ops-mcp-server (py-aliyun-alibaba-cloud-ops-mcp-server): tools registered in loops over lists, filtered by settings
#   volcengine/mcp-server server/mcp_server_billing (py-volcengine-mcp-server-billing): Tool() names from an OpenAPI table at run time
#   ChronulusAI/chronulus-mcp (py-chronulusai-chronulus-mcp): 4 of its 9 tools' descriptions computed: too partial
#   Rudra-ravi/wikipedia-mcp (py-rudra-ravi-wikipedia-mcp): each tool registered twice by a nested wrapper, the second name an f-string (f"wikipedia_{name}"): none read
#   CursorTouch/Windows-MCP (py-cursortouch-windows-mcp), hanweg/mcp-discord (py-hanweg-mcp-discord): their server files use
#     Python 3.12's f-string syntax, which this script's Python (3.11) cannot parse: no tool read
#   digitalocean-labs/mcp-digitalocean (go-digitalocean-labs-mcp-digitalocean): read (57 tools, 6 resources), then left out: an
#     early snapshot of the server whose npm package (@digitalocean/mcp) is in ../benign/: 48 of its 57 descriptions the same
#   Aiven-Open/mcp-aiven: no Python source in its snapshot (TypeScript now)
#   samuelgursky/davinci-resolve-mcp: only src/server.py read, its default 35-tool "compound" server; the 353-tool granular
#     server (src/granular, --full) left out as too big
#   mariadb/mcp, ai-zerolab/mcp-email-server, jackkuo666/PubChem-MCP-Server, GoogleCloudPlatform/cloud-sql-mcp: no snapshot to be had
S7("go-hashicorp-vault-mcp-server", "hashicorp/vault-mcp-server", "go", ["pkg", "cmd"])
S7("go-render-oss-render-mcp-server", "render-oss/render-mcp-server", "go", ["pkg", "cmd"])
S7("go-razorpay-razorpay-mcp-server", "razorpay/razorpay-mcp-server", "go", ["pkg"])
S7("go-aquasecurity-trivy-mcp", "aquasecurity/trivy-mcp", "go", ["pkg"])
S7("go-manusa-podman-mcp-server", "manusa/podman-mcp-server", "go", ["pkg"])
S7("go-grafana-mcp-k6", "grafana/mcp-k6", "go", [""])
S7("go-stackloklabs-mkp", "StacklokLabs/mkp", "go", ["pkg", "cmd"])
S7("go-axiomhq-mcp-server-axiom", "axiomhq/mcp-server-axiom", "go", [""])
S7("go-stackloklabs-gofetch", "StacklokLabs/gofetch", "go", ["pkg", "cmd"])
S7("go-silenceper-mcp-k8s", "silenceper/mcp-k8s", "go", ["internal", "cmd"])
S7("go-reza-gholizade-k8s-mcp-server", "reza-gholizade/k8s-mcp-server", "go", [""])
S7("go-tjhop-prometheus-mcp-server", "tjhop/prometheus-mcp-server", "go", ["pkg", "cmd"], [r"/mcptest/"])
S7("go-sinadarbouy-mcp-nats", "sinadarbouy/mcp-nats", "go", [""])
S7("go-tuannvm-kafka-mcp-server", "tuannvm/kafka-mcp-server", "go", ["internal", "cmd"])
S7("go-algolia-mcp", "algolia/mcp", "go", ["pkg", "cmd"])
S7("py-box-community-mcp-server-box", "box-community/mcp-server-box", "py", ["src"])
S7("py-atlanhq-agent-toolkit", "atlanhq/agent-toolkit", "py", ["modelcontextprotocol"])
S7("py-lucashild-mcp-server-bigquery", "LucasHild/mcp-server-bigquery", "py", ["src/mcp_server_bigquery"])
S7("py-isaacwasserman-mcp-snowflake-server", "isaacwasserman/mcp-snowflake-server", "py", ["src/mcp_snowflake_server"])
S7("py-greptimeteam-greptimedb-mcp-server", "GreptimeTeam/greptimedb-mcp-server", "py", ["src/greptimedb_mcp_server"])
S7("py-yugabyte-yugabytedb-mcp-server", "yugabyte/yugabytedb-mcp-server", "py", ["src/yugabytedb_mcp_server"])
S7("py-meilisearch-meilisearch-mcp", "meilisearch/meilisearch-mcp", "py", ["src/meilisearch_mcp"])
S7("py-cr7258-elasticsearch-mcp-server", "cr7258/elasticsearch-mcp-server", "py", ["src"])
S7("py-keboola-mcp-server", "keboola/mcp-server", "py", ["src/keboola_mcp_server"])
S7("py-unstructured-io-uns-mcp", "Unstructured-IO/UNS-MCP", "py", ["uns_mcp"])
S7("py-docling-project-docling-mcp", "docling-project/docling-mcp", "py", ["docling_mcp"])
S7("py-oxylabs-oxylabs-mcp", "oxylabs/oxylabs-mcp", "py", ["src/oxylabs_mcp"])
S7("py-scrapegraphai-scrapegraph-mcp", "ScrapeGraphAI/scrapegraph-mcp", "py", ["src/scrapegraph_mcp"])
S7("py-basicmachines-co-basic-memory", "basicmachines-co/basic-memory", "py", ["src/basic_memory/mcp"])
S7("py-johnhuang316-code-index-mcp", "johnhuang316/code-index-mcp", "py", ["src/code_index_mcp"])
S7("py-minhalvp-android-mcp-server", "minhalvp/android-mcp-server", "py", ["server.py"])
S7("py-chigwell-telegram-mcp", "chigwell/telegram-mcp", "py", ["telegram_mcp", "main.py"])
S7("py-markuspfundstein-mcp-gsuite", "MarkusPfundstein/mcp-gsuite", "py", ["src/mcp_gsuite"])
S7("py-hawstein-mcp-server-reddit", "Hawstein/mcp-server-reddit", "py", ["src/mcp_server_reddit"])
S7("py-jkawamoto-mcp-youtube-transcript", "jkawamoto/mcp-youtube-transcript", "py", ["src/mcp_youtube_transcript"])
S7("py-samuelgursky-davinci-resolve-mcp", "samuelgursky/davinci-resolve-mcp", "py", ["src/server.py"])
S7("py-jagan-shanmugam-open-streetmap-mcp", "jagan-shanmugam/open-streetmap-mcp", "py", ["src/osm_mcp_server"])
S7("py-vishalsachdev-canvas-mcp", "vishalsachdev/canvas-mcp", "py", ["src/canvas_mcp"])
S7("py-alex2yang97-yahoo-finance-mcp", "Alex2Yang97/yahoo-finance-mcp", "py", ["server.py"])
S7("py-ramp-public-ramp-mcp", "ramp-public/ramp-mcp", "py", ["src/ramp_mcp"])
S7("py-gitguardian-gg-mcp-developer", "GitGuardian/gg-mcp", "py", ["packages/developer_mcp_server/src", "packages/gg_api_core/src"])
S7("py-gitguardian-gg-mcp-secops", "GitGuardian/gg-mcp", "py", ["packages/secops_mcp_server/src", "packages/gg_api_core/src"])
S7("py-fosdickio-binary-ninja-mcp", "fosdickio/binary_ninja_mcp", "py", ["bridge"])
S7("py-lanbaoshen-mcp-jenkins", "lanbaoshen/mcp-jenkins", "py", ["src/mcp_jenkins"])
S7("py-vortiago-mcp-azure-devops", "Vortiago/mcp-azure-devops", "py", ["src/mcp_azure_devops"])
S7("py-livehybrid-splunk-mcp", "livehybrid/splunk-mcp", "py", ["splunk_mcp.py"])
S7("py-hald-things-mcp", "hald/things-mcp", "py", ["src/things_mcp"])
S7("py-cartesia-ai-cartesia-mcp", "cartesia-ai/cartesia-mcp", "py", ["cartesia_mcp"])
S7("py-alexei-led-k8s-mcp-server", "alexei-led/k8s-mcp-server", "py", ["src/k8s_mcp_server"])
S7("py-zenml-io-mcp-zenml", "zenml-io/mcp-zenml", "py", ["server"])
S7("py-prefecthq-prefect-mcp-server", "PrefectHQ/prefect-mcp-server", "py", ["src/prefect_mcp_server"])
S7("py-needle-ai-needle-mcp", "needle-ai/needle-mcp", "py", ["src/needle_mcp"])
S7("py-humansignal-label-studio-mcp-server", "HumanSignal/label-studio-mcp-server", "py", ["label_studio_mcp"])
S7("py-mikechambers-adb-mcp-ps", "mikechambers/adb-mcp", "py", ["mcp/ps-mcp.py"])
S7("py-mikechambers-adb-mcp-pr", "mikechambers/adb-mcp", "py", ["mcp/pr-mcp.py"])
S7("py-databendlabs-mcp-databend", "databendlabs/mcp-databend", "py", ["mcp_databend"])
S7("py-kukapay-crypto-feargreed-mcp", "kukapay/crypto-feargreed-mcp", "py", ["main.py"])
S7("py-abhiemj-manim-mcp-server", "abhiemj/manim-mcp-server", "py", ["src"])
S7("py-google-mcp-security-scc", "google/mcp-security", "py", ["server/scc"])
S7("py-awslabs-mcp-aws-location-mcp-server", "awslabs/mcp", "py", ["src/aws-location-mcp-server/awslabs"])
S7("py-awslabs-mcp-aws-healthomics-mcp-server", "awslabs/mcp", "py", ["src/aws-healthomics-mcp-server/awslabs"])
S7("py-awslabs-mcp-aws-support-mcp-server", "awslabs/mcp", "py", ["src/aws-support-mcp-server/awslabs"])
S7("py-awslabs-mcp-cloudtrail-mcp-server", "awslabs/mcp", "py", ["src/cloudtrail-mcp-server/awslabs"])
S7("py-awslabs-mcp-documentdb-mcp-server", "awslabs/mcp", "py", ["src/documentdb-mcp-server/awslabs"])
S7("py-awslabs-mcp-redshift-mcp-server", "awslabs/mcp", "py", ["src/redshift-mcp-server/awslabs"])
S7("py-awslabs-mcp-aurora-dsql-mcp-server", "awslabs/mcp", "py", ["src/aurora-dsql-mcp-server/awslabs"])
S7("py-oracle-mcp-oci-object-storage-mcp-server", "oracle/mcp", "py", ["src/oci-object-storage-mcp-server"])
S7("py-oracle-mcp-oci-monitoring-mcp-server", "oracle/mcp", "py", ["src/oci-monitoring-mcp-server"])
S7("py-oracle-mcp-oci-identity-mcp-server", "oracle/mcp", "py", ["src/oci-identity-mcp-server"])
S7("py-oracle-mcp-oracle-db-doc-mcp-server", "oracle/mcp", "py", ["src/oracle-db-doc-mcp-server"])
S7("py-oracle-mcp-dbtools-mcp-server", "oracle/mcp", "py", ["src/dbtools-mcp-server"])
S7("py-oracle-mcp-oci-pricing-mcp-server", "oracle/mcp", "py", ["src/oci-pricing-mcp-server"])
S7("py-volcengine-mcp-server-tos", "volcengine/mcp-server", "py", ["server/mcp_server_tos"])
S7("py-volcengine-mcp-server-vke", "volcengine/mcp-server", "py", ["server/mcp_server_vke"])
S7("py-volcengine-mcp-server-rds-mysql", "volcengine/mcp-server", "py", ["server/mcp_server_rds_mysql"])
S7("py-volcengine-mcp-server-live", "volcengine/mcp-server", "py", ["server/mcp_server_live"])
S7("go-googlecloudplatform-gke-mcp", "GoogleCloudPlatform/gke-mcp", "go", ["pkg", "cmd"])
S7("py-homeassistant-ai-ha-mcp", "homeassistant-ai/ha-mcp", "py", ["src/ha_mcp"])

if __name__ == "__main__":
    main()
