#!/usr/bin/env python3
"""Compiles Jute IDL (.jute) files into C++ records.

Input grammar (the subset ZooKeeper uses):

    file   := module*
    module := 'module' qualified-name '{' class* '}'
    class  := 'class' NAME '{' field* '}'
    field  := type NAME ';'
    type   := 'int' | 'long' | 'boolean' | 'ustring' | 'buffer'
            | 'vector' '<' type '>' | record-name
with // and /* */ comments. A record is named by its simple name (searched
in its own module first, then in all modules) or by module.Name.

Module a.b.c becomes C++ namespace zk::c. Each class becomes a struct with
default-initialised members, Serialize/Deserialize against jute/archive.h,
a defaulted operator== and an operator<< for logs and test failures.

Outputs: --header and --source; optionally --testing-header, which holds
FillSample() overloads that give every field a distinct value and a macro
listing every record type, for round-trip tests.

Errors are reported as file:line:col: error: message, exit status 1.
"""

import argparse
import os
import re
import sys

PRIMITIVES = {
    # jute name: (C++ type, write call, read call, min encoded bytes)
    "int": ("int32_t", "WriteInt", "ReadInt", 4),
    "long": ("int64_t", "WriteLong", "ReadLong", 8),
    "boolean": ("bool", "WriteBool", "ReadBool", 1),
    "ustring": ("std::string", "WriteString", "ReadString", 4),
    "buffer": ("std::string", "WriteBuffer", "ReadBuffer", 4),
}
# Jute types ZooKeeper's compiler knows but our records do not use.
UNSUPPORTED = {"byte", "float", "double", "map"}

CPP_KEYWORDS = set("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char
char8_t char16_t char32_t class compl concept const consteval constexpr
constinit const_cast continue co_await co_return co_yield decltype default
delete do double dynamic_cast else enum explicit export extern false float for
friend goto if inline int long mutable namespace new noexcept not not_eq
nullptr operator or or_eq private protected public register reinterpret_cast
requires return short signed sizeof static static_assert static_cast struct
switch template this thread_local throw true try typedef typeid typename union
unsigned using virtual void volatile wchar_t while xor xor_eq
""".split())
# Member names the generated struct already uses.
RESERVED_MEMBERS = {"Serialize", "Deserialize", "kJuteName"}

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class JuteError(Exception):
    def __init__(self, filename, line, col, message):
        super().__init__(f"{filename}:{line}:{col}: error: {message}")


class Token:
    def __init__(self, kind, text, line, col):
        self.kind = kind  # 'ident', 'punct' or 'eof'
        self.text = text
        self.line = line
        self.col = col


def tokenize(filename, text):
    tokens = []
    i, line, line_start = 0, 1, 0
    n = len(text)
    while i < n:
        c = text[i]
        col = i - line_start + 1
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
        elif c in " \t\r\f\v":
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise JuteError(filename, line, col, "unterminated /* comment")
            for j in range(i, end):
                if text[j] == "\n":
                    line += 1
                    line_start = j + 1
            i = end + 2
        elif c in "{}<>;":
            tokens.append(Token("punct", c, line, col))
            i += 1
        else:
            m = IDENT.match(text, i)
            if not m:
                raise JuteError(filename, line, col, f"unexpected character {c!r}")
            # Qualified names (a.b.C) are one token; dots must join identifiers.
            end = m.end()
            while end < n and text[end] == ".":
                m2 = IDENT.match(text, end + 1)
                if not m2:
                    raise JuteError(filename, line, end - line_start + 1,
                                    "expected an identifier after '.'")
                end = m2.end()
            tokens.append(Token("ident", text[i:end], line, col))
            i = end
    tokens.append(Token("eof", "end of file", line, n - line_start + 1))
    return tokens


class TypeRef:
    """A field type: a primitive, a vector of a TypeRef, or a record name."""

    def __init__(self, kind, name=None, element=None, token=None):
        self.kind = kind  # 'primitive', 'vector' or 'record'
        self.name = name  # primitive name, or record name as written
        self.element = element
        self.token = token
        self.record = None  # resolved Record for kind == 'record'


class Field:
    def __init__(self, type_ref, name, token):
        self.type = type_ref
        self.name = name
        self.token = token


class Record:
    def __init__(self, module, name, token):
        self.module = module
        self.name = name
        self.token = token
        self.fields = []

    @property
    def full_name(self):
        return f"{self.module.name}.{self.name}"

    @property
    def cpp_name(self):
        return f"::zk::{self.module.namespace}::{self.name}"


class Module:
    def __init__(self, name, token):
        self.name = name
        self.token = token
        self.namespace = name.split(".")[-1]
        self.records = []


class Parser:
    def __init__(self, filename, tokens):
        self.filename = filename
        self.tokens = tokens
        self.pos = 0

    def error(self, token, message):
        return JuteError(self.filename, token.line, token.col, message)

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def expect_punct(self, text, what):
        tok = self.next()
        if tok.kind != "punct" or tok.text != text:
            raise self.error(tok, f"expected '{text}' {what}, found '{tok.text}'")
        return tok

    def expect_keyword(self, word, what):
        tok = self.next()
        if tok.kind != "ident" or tok.text != word:
            raise self.error(tok, f"expected '{word}' {what}, found '{tok.text}'")
        return tok

    def expect_name(self, what, qualified=False):
        tok = self.next()
        if tok.kind != "ident":
            raise self.error(tok, f"expected {what}, found '{tok.text}'")
        if not qualified and "." in tok.text:
            raise self.error(tok, f"{what} may not contain '.': '{tok.text}'")
        return tok

    def parse_file(self):
        modules = []
        while self.peek().kind != "eof":
            modules.append(self.parse_module())
        return modules

    def parse_module(self):
        self.expect_keyword("module", "at top level")
        tok = self.expect_name("a module name", qualified=True)
        module = Module(tok.text, tok)
        self.expect_punct("{", "after the module name")
        while not (self.peek().kind == "punct" and self.peek().text == "}"):
            if self.peek().kind == "eof":
                raise self.error(self.peek(), f"module '{module.name}' is missing its closing '}}'")
            module.records.append(self.parse_class(module))
        self.next()
        return module

    def parse_class(self, module):
        self.expect_keyword("class", "in a module")
        tok = self.expect_name("a class name")
        record = Record(module, tok.text, tok)
        self.expect_punct("{", "after the class name")
        while not (self.peek().kind == "punct" and self.peek().text == "}"):
            if self.peek().kind == "eof":
                raise self.error(self.peek(), f"class '{record.name}' is missing its closing '}}'")
            type_ref = self.parse_type()
            name_tok = self.expect_name("a field name")
            self.expect_punct(";", f"after field '{name_tok.text}'")
            record.fields.append(Field(type_ref, name_tok.text, name_tok))
        self.next()
        return record

    def parse_type(self):
        tok = self.next()
        if tok.kind != "ident":
            raise self.error(tok, f"expected a field type, found '{tok.text}'")
        if tok.text in PRIMITIVES:
            return TypeRef("primitive", name=tok.text, token=tok)
        if tok.text in UNSUPPORTED:
            raise self.error(tok, f"type '{tok.text}' is not supported")
        if tok.text == "vector":
            self.expect_punct("<", "after 'vector'")
            element = self.parse_type()
            self.expect_punct(">", "to close 'vector<'")
            return TypeRef("vector", element=element, token=tok)
        return TypeRef("record", name=tok.text, token=tok)


def check_identifier(err, token, name, what):
    if name in CPP_KEYWORDS:
        raise err(token, f"{what} '{name}' is a C++ keyword")
    if name.startswith("__") or re.match(r"_[A-Z]", name):
        raise err(token, f"{what} '{name}' is reserved in C++")


def analyze(filename, modules):
    """Validates names and resolves record references. Returns records in an
    order where every record comes after the records it contains."""

    def err(token, message):
        return JuteError(filename, token.line, token.col, message)

    by_module = {}
    by_namespace = {}
    for module in modules:
        if module.name in by_module:
            raise err(module.token, f"module '{module.name}' is declared twice")
        other = by_namespace.get(module.namespace)
        if other is not None:
            raise err(module.token, f"module '{module.name}' maps to namespace zk::"
                      f"{module.namespace}, as does module '{other.name}'")
        check_identifier(err, module.token, module.namespace, "namespace")
        by_module[module.name] = {}
        by_namespace[module.namespace] = module
        for record in module.records:
            if record.name in by_module[module.name]:
                raise err(record.token, f"class '{record.name}' is declared twice "
                          f"in module '{module.name}'")
            check_identifier(err, record.token, record.name, "class name")
            by_module[module.name][record.name] = record
            seen = set()
            for field in record.fields:
                if field.name in seen:
                    raise err(field.token, f"field '{field.name}' is declared twice "
                              f"in class '{record.name}'")
                seen.add(field.name)
                check_identifier(err, field.token, field.name, "field name")
                if field.name in RESERVED_MEMBERS or field.name == record.name:
                    raise err(field.token, f"field name '{field.name}' clashes with "
                              f"a generated member of class '{record.name}'")

    def resolve(type_ref, module):
        if type_ref.kind == "vector":
            resolve(type_ref.element, module)
            return
        if type_ref.kind != "record":
            return
        name = type_ref.name
        if "." in name:
            mod, _, cls = name.rpartition(".")
            type_ref.record = by_module.get(mod, {}).get(cls)
        elif name in by_module[module.name]:
            type_ref.record = by_module[module.name][name]
        else:
            found = [m[name] for m in by_module.values() if name in m]
            if len(found) > 1:
                choices = ", ".join(r.full_name for r in found)
                raise err(type_ref.token, f"record '{name}' is ambiguous: {choices}")
            type_ref.record = found[0] if found else None
        if type_ref.record is None:
            raise err(type_ref.token, f"unknown type '{name}'")

    for module in modules:
        for record in module.records:
            for field in record.fields:
                resolve(field.type, module)

    ordered, state = [], {}

    def visit(record, path):
        mark = state.get(record.full_name)
        if mark == "done":
            return
        if mark == "active":
            cycle = " -> ".join(r.name for r in path + [record])
            raise err(record.token, f"class '{record.name}' contains itself: {cycle}")
        state[record.full_name] = "active"
        for field in record.fields:
            t = field.type
            while t.kind == "vector":
                t = t.element
            if t.kind == "record":
                visit(t.record, path + [record])
        state[record.full_name] = "done"
        ordered.append(record)

    for module in modules:
        for record in module.records:
            visit(record, [])
    return ordered


# ---------------------------------------------------------------------------
# C++ generation.


def cpp_type(t):
    if t.kind == "primitive":
        return PRIMITIVES[t.name][0]
    if t.kind == "vector":
        return f"std::vector<{cpp_type(t.element)}>"
    return t.record.cpp_name


def min_bytes(t):
    """The fewest bytes an encoded value of type t can take. An empty record
    counts as one byte so that a peer cannot make us allocate a vector of
    them larger than its message."""
    if t.kind == "primitive":
        return PRIMITIVES[t.name][3]
    if t.kind == "vector":
        return 4
    return max(1, sum(min_bytes(f.type) for f in t.record.fields))


def initializer(t):
    if t.kind == "primitive" and t.name in ("int", "long"):
        return " = 0"
    if t.kind == "primitive" and t.name == "boolean":
        return " = false"
    return ""


class Emitter:
    def __init__(self):
        self.lines = []
        self.indent = 0

    def line(self, text=""):
        self.lines.append(("  " * self.indent + text) if text else "")

    def text(self):
        return "\n".join(self.lines) + "\n"


def is_buffer(t):
    """A record's own buffer fields remember whether they were null (length -1),
    which ZooKeeper keeps distinct from empty for znode data."""
    return t.kind == "primitive" and t.name == "buffer"


def emit_write(e, t, expr, depth):
    if t.kind == "primitive":
        e.line(f"out.{PRIMITIVES[t.name][1]}({expr});")
    elif t.kind == "record":
        e.line(f"{expr}.Serialize(out);")
    else:
        e.line(f"out.WriteVectorSize(static_cast<int32_t>({expr}.size()));")
        e.line(f"for (const auto& e{depth} : {expr}) {{")
        e.indent += 1
        emit_write(e, t.element, f"e{depth}", depth + 1)
        e.indent -= 1
        e.line("}")


def emit_read(e, t, expr, depth):
    if t.kind == "primitive":
        e.line(f"if (!in.{PRIMITIVES[t.name][2]}(&{expr})) return false;")
    elif t.kind == "record":
        e.line(f"if (!{expr}.Deserialize(in)) return false;")
    else:
        n = f"n{depth}"
        e.line("{")
        e.indent += 1
        e.line(f"int32_t {n} = 0;")
        e.line(f"if (!in.ReadVectorSize(&{n}, {min_bytes(t.element)})) return false;")
        e.line(f"{expr}.clear();")
        e.line(f"{expr}.reserve(static_cast<size_t>({n}));")
        e.line(f"for (int32_t i{depth} = 0; i{depth} < {n}; ++i{depth}) {{")
        e.indent += 1
        e.line(f"auto& e{depth} = {expr}.emplace_back();")
        emit_read(e, t.element, f"e{depth}", depth + 1)
        e.indent -= 1
        e.line("}")
        e.indent -= 1
        e.line("}")


def emit_print(e, t, expr, depth):
    if t.kind == "primitive":
        if t.name == "ustring":
            e.line(f"::jute::PrintString(os, {expr});")
        elif t.name == "buffer":
            e.line(f"::jute::PrintBuffer(os, {expr});")
        elif t.name == "boolean":
            e.line(f"os << ({expr} ? \"true\" : \"false\");")
        else:
            e.line(f"os << {expr};")
    elif t.kind == "record":
        e.line(f"os << {expr};")
    else:
        e.line("os << '[';")
        e.line(f"for (size_t i{depth} = 0; i{depth} < {expr}.size(); ++i{depth}) {{")
        e.indent += 1
        e.line(f"if (i{depth} > 0) os << \", \";")
        emit_print(e, t.element, f"{expr}[i{depth}]", depth + 1)
        e.indent -= 1
        e.line("}")
        e.line("os << ']';")


def namespace_blocks(records):
    """Groups consecutive records of the same namespace."""
    blocks = []
    for record in records:
        if blocks and blocks[-1][0] == record.module.namespace:
            blocks[-1][1].append(record)
        else:
            blocks.append((record.module.namespace, [record]))
    return blocks


def banner(source_name):
    return [f"// Generated by jute/jutec.py from {source_name}. Do not edit.", ""]


def generate_header(records, source_name):
    e = Emitter()
    e.lines += banner(source_name)
    e.line("#pragma once")
    e.line()
    for inc in ("<cstdint>", "<ostream>", "<string>", "<string_view>", "<vector>"):
        e.line(f"#include {inc}")
    e.line()
    e.line('#include "jute/archive.h"')
    e.line('#include "jute/print.h"')
    for ns, group in namespace_blocks(records):
        e.line()
        e.line(f"namespace zk::{ns} {{")
        for record in group:
            e.line()
            e.line(f"// {record.full_name}")
            e.line(f"struct {record.name} {{")
            e.indent += 1
            e.line(f'static constexpr std::string_view kJuteName = "{record.full_name}";')
            e.line()
            for field in record.fields:
                e.line(f"{cpp_type(field.type)} {field.name}{initializer(field.type)};")
                if is_buffer(field.type):
                    e.line(f"bool {field.name}IsNull = false;  // sent as length -1")
            e.line()
            e.line("void Serialize(::jute::OutputArchive& out) const;")
            e.line("// On failure *this is left valid but unspecified.")
            e.line("bool Deserialize(::jute::InputArchive& in);")
            e.line(f"bool operator==(const {record.name}&) const = default;")
            e.indent -= 1
            e.line("};")
            e.line(f"std::ostream& operator<<(std::ostream& os, const {record.name}& r);")
        e.line()
        e.line(f"}}  // namespace zk::{ns}")
    return e.text()


def generate_source(records, source_name, header_include):
    e = Emitter()
    e.lines += banner(source_name)
    e.line(f'#include "{header_include}"')
    for ns, group in namespace_blocks(records):
        e.line()
        e.line(f"namespace zk::{ns} {{")
        for record in group:
            r = record.name
            unused = " [[maybe_unused]]" if not record.fields else ""
            e.line()
            e.line(f"void {r}::Serialize(::jute::OutputArchive&{unused} out) const {{")
            e.indent += 1
            for field in record.fields:
                if is_buffer(field.type):
                    e.line(f"out.WriteBuffer({field.name}, {field.name}IsNull);")
                else:
                    emit_write(e, field.type, field.name, 0)
            e.indent -= 1
            e.line("}")
            e.line()
            e.line(f"bool {r}::Deserialize(::jute::InputArchive&{unused} in) {{")
            e.indent += 1
            for field in record.fields:
                if is_buffer(field.type):
                    e.line(f"if (!in.ReadBuffer(&{field.name}, &{field.name}IsNull)) return false;")
                else:
                    emit_read(e, field.type, field.name, 0)
            e.line("return true;")
            e.indent -= 1
            e.line("}")
            e.line()
            e.line(f"std::ostream& operator<<(std::ostream& os, const {r}&{unused} r) {{")
            e.indent += 1
            e.line(f'os << "{r}{{";')
            for i, field in enumerate(record.fields):
                sep = ", " if i else ""
                e.line(f'os << "{sep}{field.name}=";')
                emit_print(e, field.type, f"r.{field.name}", 0)
            e.line("return os << '}';")
            e.indent -= 1
            e.line("}")
        e.line()
        e.line(f"}}  // namespace zk::{ns}")
    return e.text()


def emit_fill(e, t, expr, depth):
    if t.kind == "primitive":
        value = {
            "int": "static_cast<int32_t>(0x9e3779b9u * static_cast<uint32_t>(++*counter))",
            "long": "static_cast<int64_t>(0x9e3779b97f4a7c15ull * "
                    "static_cast<uint64_t>(++*counter))",
            "boolean": "(++*counter % 2) == 1",
            "ustring": '"/s" + std::to_string(++*counter) + "\\xc3\\xa9"',
            "buffer": 'std::string("\\0\\xff", 2) + std::to_string(++*counter)',
        }[t.name]
        e.line(f"{expr} = {value};")
    elif t.kind == "record":
        e.line(f"FillSample(&{expr}, counter);")
    else:
        e.line(f"{expr}.resize(2);")
        e.line(f"for (auto& e{depth} : {expr}) {{")
        e.indent += 1
        emit_fill(e, t.element, f"e{depth}", depth + 1)
        e.indent -= 1
        e.line("}")


def generate_testing_header(records, source_name, header_include):
    stem = re.sub(r"[^A-Za-z0-9]", "_", os.path.splitext(os.path.basename(source_name))[0])
    e = Emitter()
    e.lines += banner(source_name)
    e.line("// Test support: sample values for every record, and the list of record types.")
    e.line("#pragma once")
    e.line()
    e.line("#include <string>")
    e.line()
    e.line(f'#include "{header_include}"')
    e.line()
    e.line(f"#define JUTE_{stem.upper()}_RECORDS \\")
    for i, record in enumerate(records):
        tail = ", \\" if i + 1 < len(records) else ""
        e.line(f"  {record.cpp_name}{tail}")
    e.line()
    e.line("namespace jute::testing {")
    e.line()
    e.line("// Declared first so records may fill the records they contain in any order.")
    for record in records:
        e.line(f"inline void FillSample({record.cpp_name}* r, int* counter);")
    for record in records:
        unused = " [[maybe_unused]]" if not record.fields else ""
        e.line()
        e.line("// Gives every field of r a value distinct from its other fields.")
        e.line(f"inline void FillSample({record.cpp_name}*{unused} r, int*{unused} counter) {{")
        e.indent += 1
        for field in record.fields:
            emit_fill(e, field.type, f"r->{field.name}", 0)
        e.indent -= 1
        e.line("}")
    e.line()
    e.line("}  // namespace jute::testing")
    return e.text()


def write_file(path, text):
    # Always rewritten, so the build tool sees the output newer than its inputs.
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def compile_jute(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    modules = Parser(path, tokenize(path, text)).parse_file()
    return analyze(path, modules)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="the .jute file")
    ap.add_argument("--header", help="the C++ header to write")
    ap.add_argument("--source", help="the C++ source to write")
    ap.add_argument("--testing-header", help="the test-support header to write")
    ap.add_argument("--include-as", help="how sources include the header "
                    "(default: the header's file name)")
    args = ap.parse_args(argv)
    try:
        records = compile_jute(args.input)
    except JuteError as e:
        print(e, file=sys.stderr)
        return 1
    except OSError as e:
        print(f"jutec: {e}", file=sys.stderr)
        return 1
    source_name = os.path.basename(args.input)
    include = args.include_as or (os.path.basename(args.header) if args.header else "")
    if args.header:
        write_file(args.header, generate_header(records, source_name))
    if args.source:
        write_file(args.source, generate_source(records, source_name, include))
    if args.testing_header:
        write_file(args.testing_header,
                         generate_testing_header(records, source_name, include))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
