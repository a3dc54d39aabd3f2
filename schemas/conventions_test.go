package schemas

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// ordered decodes a JSON object keeping the order of its keys.
type ordered struct {
	keys []string
	vals map[string]json.RawMessage
}

func (o *ordered) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil {
		return err
	}
	o.vals = map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		k := t.(string)
		o.keys = append(o.keys, k)
		o.vals[k] = v
	}
	return nil
}

type schemaDoc struct {
	path string
	doc  map[string]any
}

func allSchemas(t *testing.T) []schemaDoc {
	t.Helper()
	var out []schemaDoc
	err := fs.WalkDir(Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Files(), p)
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		out = append(out, schemaDoc{p, m})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// annotation keywords that may sit beside a $ref (draft-07 ignores every
// sibling of $ref, so constraints there would be silently lost).
var refSiblingsOK = map[string]bool{"$ref": true, "description": true, "title": true, "examples": true}

func walkSchema(t *testing.T, file, ptr string, v any, fn func(ptr string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(ptr, x)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkSchema(t, file, ptr+"/"+k, x[k], fn)
		}
	case []any:
		for i, e := range x {
			walkSchema(t, file, ptr+"/"+itoa(i), e, fn)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestSchemaFilesConventions checks the conventions the code generator and
// the validator rely on, file by file.
func TestSchemaFilesConventions(t *testing.T) {
	docs := allSchemas(t)
	if len(docs) != 75 {
		t.Errorf("%d schema files, want 75", len(docs))
	}
	exists := map[string]bool{}
	for _, d := range docs {
		exists[d.path] = true
	}
	for _, d := range docs {
		if got, want := d.doc["$id"], BaseURL+d.path; got != want {
			t.Errorf("%s: $id %v, want %s", d.path, got, want)
		}
		if d.doc["$schema"] != "http://json-schema.org/draft-07/schema#" {
			t.Errorf("%s: $schema %v", d.path, d.doc["$schema"])
		}
		if d.doc["title"] != strings.TrimSuffix(path.Base(d.path), ".json") {
			t.Errorf("%s: title %v is not the file name", d.path, d.doc["title"])
		}
		if s, _ := d.doc["description"].(string); s == "" {
			t.Errorf("%s: no description", d.path)
		}
		walkSchema(t, d.path, "", d.doc, func(ptr string, m map[string]any) {
			if ref, ok := m["$ref"].(string); ok {
				target, frag, _ := strings.Cut(ref, "#")
				if strings.Contains(target, "://") || (!strings.HasPrefix(target, "../") && target != "") {
					t.Errorf("%s%s: $ref %q is not relative (../dir/file.json)", d.path, ptr, ref)
				}
				if target != "" && !exists[path.Clean(path.Join(path.Dir(d.path), target))] {
					t.Errorf("%s%s: $ref %q names no file", d.path, ptr, ref)
				}
				_ = frag
				for k := range m {
					if !refSiblingsOK[k] && !strings.HasPrefix(k, "x-stixkit-") {
						t.Errorf("%s%s: %q beside $ref is ignored by draft-07; wrap the $ref in allOf", d.path, ptr, k)
					}
				}
			}
			if _, ok := m["patternProperties"]; ok {
				t.Errorf("%s%s: patternProperties (recompiled on every call by gojsonschema); use propertyNames", d.path, ptr)
			}
		})
	}
}

// objectProperties returns the properties of an object type schema in
// serialization order: for allOf-of-core schemas, the core properties with
// the type-specific ones inserted after x-stixkit-specific-after.
func objectProperties(t *testing.T, file string) []string {
	t.Helper()
	b, err := fs.ReadFile(Files(), file)
	if err != nil {
		t.Fatal(err)
	}
	var top struct {
		AllOf      []json.RawMessage `json:"allOf"`
		Properties ordered           `json:"properties"`
	}
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	var coreRef struct {
		Ref string `json:"$ref"`
	}
	if len(top.AllOf) > 0 {
		json.Unmarshal(top.AllOf[0], &coreRef)
	}
	if !strings.HasSuffix(coreRef.Ref, "core.json") {
		return top.Properties.keys
	}
	var spec struct {
		Properties ordered `json:"properties"`
	}
	json.Unmarshal(top.AllOf[1], &spec)
	cb, err := fs.ReadFile(Files(), path.Clean(path.Join(path.Dir(file), coreRef.Ref)))
	if err != nil {
		t.Fatal(err)
	}
	var core struct {
		After      string  `json:"x-stixkit-specific-after"`
		Properties ordered `json:"properties"`
	}
	if err := json.Unmarshal(cb, &core); err != nil {
		t.Fatal(err)
	}
	var specific []string
	for _, k := range spec.Properties.keys {
		if _, inCore := core.Properties.vals[k]; !inCore {
			specific = append(specific, k)
		}
	}
	var out []string
	for _, k := range core.Properties.keys {
		out = append(out, k)
		if k == core.After {
			out = append(out, specific...)
		}
	}
	return out
}

// TestObjectSchemaShape checks the layout of every object type schema:
// allOf [core, {properties, required}] for SDOs, SROs and SCOs, with
// re-declared core properties first, and the annotations on references,
// timestamps and observables.
func TestObjectSchemaShape(t *testing.T) {
	for _, d := range allSchemas(t) {
		dir := path.Dir(d.path)
		if dir != "sdos" && dir != "sros" && dir != "observables" {
			continue
		}
		allOf, _ := d.doc["allOf"].([]any)
		if len(allOf) < 2 {
			t.Errorf("%s: allOf has %d entries", d.path, len(allOf))
			continue
		}
		want := "../common/core.json"
		if dir == "observables" {
			want = "../common/cyber-observable-core.json"
			if _, ok := d.doc["x-stixkit-id-contributing"].([]any); !ok {
				t.Errorf("%s: no x-stixkit-id-contributing", d.path)
			}
		}
		if ref := allOf[0].(map[string]any)["$ref"]; ref != want {
			t.Errorf("%s: allOf[0] is %v, want $ref %s", d.path, ref, want)
		}
		props := objectProperties(t, d.path)
		if len(props) < 8 {
			t.Errorf("%s: only %d properties", d.path, len(props))
		}
	}
	for _, d := range allSchemas(t) {
		walkSchema(t, d.path, "", d.doc, func(ptr string, m map[string]any) {
			if !strings.HasSuffix(ptr, "_ref") && !strings.HasSuffix(ptr, "_refs/items") {
				return
			}
			if !strings.Contains(ptr, "/properties/") {
				return
			}
			if _, ok := m["x-stixkit-ref-types"].([]any); !ok {
				t.Errorf("%s%s: reference property without x-stixkit-ref-types", d.path, ptr)
			}
		})
	}
}

// TestPropertyOrderMatchesPython checks the schema property order against
// the serialization order of the Python stix2 library, as recorded in the
// conformance vectors: the known properties of every serialized object
// appear in schema order.
func TestPropertyOrderMatchesPython(t *testing.T) {
	vectors := loadVectors(t)
	fileOf := map[string]string{}
	for _, d := range allSchemas(t) {
		dir := path.Dir(d.path)
		if dir == "sdos" || dir == "sros" || dir == "observables" || isMetaType(d.doc["title"].(string)) {
			fileOf[d.doc["title"].(string)] = d.path
		}
	}
	checked := 0
	for _, vec := range vectors {
		if vec.Kind != "serialize" {
			continue
		}
		var out ordered
		if err := json.Unmarshal([]byte(vec.Expected), &out); err != nil {
			continue // not a JSON object (e.g. a plain string)
		}
		objs := []ordered{out}
		if raw, ok := out.vals["objects"]; ok {
			var list []ordered
			if json.Unmarshal(raw, &list) == nil {
				objs = append(objs, list...)
			}
		}
		for _, o := range objs {
			var typ string
			json.Unmarshal(o.vals["type"], &typ)
			file, ok := fileOf[typ]
			if !ok {
				continue
			}
			order := objectProperties(t, file)
			pos := map[string]int{}
			for i, k := range order {
				pos[k] = i
			}
			last := -1
			lastKey := ""
			for _, k := range o.keys {
				p, known := pos[k]
				if !known {
					continue
				}
				if p < last {
					t.Errorf("%s: %s: Python writes %q after %q; schema order is %v", vec.Name, typ, k, lastKey, order)
				}
				last, lastKey = p, k
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d serialized objects checked", checked)
	}
}
