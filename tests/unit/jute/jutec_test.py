#!/usr/bin/env python3
"""Tests that jutec.py rejects malformed .jute input with a clear, located
error, and accepts the grammar it documents.

Usage: jutec_test.py [path/to/jutec.py]  (default: the repo's jute/jutec.py)
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
JUTEC = os.path.join(HERE, "..", "..", "..", "jute", "jutec.py")


class JutecTest(unittest.TestCase):
    def run_jutec(self, source, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "input.jute")
            with open(path, "w") as f:
                f.write(source)
            header = os.path.join(tmp, "out.h")
            cc = os.path.join(tmp, "out.cc")
            result = subprocess.run(
                [sys.executable, JUTEC, path, "--header", header, "--source", cc, *extra],
                capture_output=True, text=True)
            outputs = {}
            for name in (header, cc):
                if os.path.exists(name):
                    with open(name) as f:
                        outputs[os.path.basename(name)] = f.read()
            return result, outputs

    def assert_rejects(self, source, line, col, message):
        result, outputs = self.run_jutec(source)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(outputs, {}, "no output may be written on error")
        self.assertIn(f"input.jute:{line}:{col}: error: ", result.stderr)
        self.assertIn(message, result.stderr)

    def test_accepts_a_well_formed_file_and_generates_structs(self):
        result, outputs = self.run_jutec(
            "// comment\nmodule a.b.data { /* block */ class Id { ustring scheme; int n; } }\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        header = outputs["out.h"]
        self.assertIn("namespace zk::data {", header)
        self.assertIn("struct Id {", header)
        self.assertIn("int32_t n = 0;", header)
        self.assertIn("bool operator==(const Id&) const = default;", header)
        self.assertIn("bool Id::Deserialize(::jute::InputArchive& in) {", outputs["out.cc"])

    def test_rejects_a_missing_semicolon(self):
        self.assert_rejects("module m {\n  class C {\n    int a\n  }\n}\n", 4, 3,
                            "expected ';' after field 'a', found '}'")

    def test_rejects_an_unknown_type(self):
        self.assert_rejects("module m {\n  class C {\n    Missing a;\n  }\n}\n", 3, 5,
                            "unknown type 'Missing'")

    def test_rejects_an_unknown_qualified_type(self):
        self.assert_rejects("module m { class C { other.C a; } }", 1, 22,
                            "unknown type 'other.C'")

    def test_rejects_an_unsupported_jute_type(self):
        self.assert_rejects("module m { class C { float f; } }", 1, 22,
                            "type 'float' is not supported")

    def test_rejects_an_unterminated_comment(self):
        self.assert_rejects("module m {\n /* no end\n", 2, 2, "unterminated /* comment")

    def test_rejects_a_stray_character(self):
        self.assert_rejects("module m { class C { int a = 1; } }", 1, 28,
                            "unexpected character '='")

    def test_rejects_a_missing_closing_brace(self):
        self.assert_rejects("module m { class C { int a; }\n", 2, 1,
                            "module 'm' is missing its closing '}'")

    def test_rejects_an_unclosed_vector(self):
        self.assert_rejects("module m { class C { vector<int a; } }", 1, 33,
                            "expected '>' to close 'vector<', found 'a'")

    def test_rejects_a_duplicate_field(self):
        self.assert_rejects("module m { class C {\n int a;\n long a; } }", 3, 7,
                            "field 'a' is declared twice in class 'C'")

    def test_rejects_a_duplicate_class(self):
        self.assert_rejects("module m { class C { int a; }\n class C { int b; } }", 2, 8,
                            "class 'C' is declared twice in module 'm'")

    def test_rejects_a_record_that_contains_itself(self):
        self.assert_rejects("module m {\n class A { B b; }\n class B { vector<A> a; } }", 2, 8,
                            "class 'A' contains itself: A -> B -> A")

    def test_rejects_a_cpp_keyword_as_field_name(self):
        self.assert_rejects("module m { class C { int class; } }", 1, 26,
                            "field name 'class' is a C++ keyword")

    def test_rejects_a_field_named_like_a_generated_member(self):
        self.assert_rejects("module m { class C { int Serialize; } }", 1, 26,
                            "clashes with a generated member of class 'C'")

    def test_rejects_an_ambiguous_simple_name(self):
        self.assert_rejects(
            "module a.x { class P { int v; } }\nmodule b.y { class P { int v; } }\n"
            "module c.z { class U { P p; } }", 3, 24, "record 'P' is ambiguous: a.x.P, b.y.P")

    def test_rejects_two_modules_sharing_a_namespace(self):
        self.assert_rejects("module a.data { }\nmodule b.data { }", 2, 8,
                            "maps to namespace zk::data, as does module 'a.data'")

    def test_rejects_text_outside_a_module(self):
        self.assert_rejects("class C { int a; }", 1, 1, "expected 'module' at top level")

    def test_reports_a_missing_input_file(self):
        result = subprocess.run([sys.executable, JUTEC, "/nonexistent/x.jute"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn("x.jute", result.stderr)

    def test_compiles_the_zookeeper_records(self):
        path = os.path.join(os.path.dirname(JUTEC), "zookeeper.jute")
        with open(path) as f:
            result, outputs = self.run_jutec(f.read())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("namespace zk::txn {", outputs["out.h"])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].endswith(".py"):
        JUTEC = os.path.abspath(sys.argv.pop(1))
    unittest.main()
