// Package schematest checks gtrace's JSON output against the JSON Schema
// in docs/gtrace-event.schema.json, with a maintained validator
// (santhosh-tekuri/jsonschema, which passes the official JSON Schema
// test suite) so the schema file itself is checked to be valid JSON
// Schema too. Only tests import it.
package schematest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gtrace/gtrace/internal/difftest"
)

// SchemaPath is the schema's path from the repository root.
const SchemaPath = "docs/gtrace-event.schema.json"

// Compile loads and compiles the schema.
func Compile(t testing.TB) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(difftest.Root(t), SchemaPath)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.AssertContent()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return sch
}

// ValidateNDJSON checks that out is NDJSON whose every line is valid
// UTF-8 and valid against the schema. It returns the number of lines.
func ValidateNDJSON(t testing.TB, sch *jsonschema.Schema, out []byte) int {
	t.Helper()
	n := 0
	for line := range bytes.Lines(out) {
		n++
		if !utf8.Valid(line) {
			t.Errorf("line %d is not UTF-8: %q", n, line)
			continue
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		if err != nil {
			t.Errorf("line %d is not JSON: %v\n%s", n, err, line)
			continue
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("line %d does not match the schema: %v\n%s", n, err, line)
		}
	}
	return n
}
