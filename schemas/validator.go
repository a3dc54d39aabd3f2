package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/stixkit/stixkit/internal/stixid"

	"github.com/stixkit/stixkit/internal/jsonscan"
)

// Sentinel errors returned (wrapped) by this package. Findings about the
// content of a well-formed object are reported as []*Error instead.
var (
	// ErrInvalidJSON means the input is not one well-formed JSON value.
	ErrInvalidJSON = errors.New("schemas: invalid JSON")
	// ErrNotObject means the input is JSON but not a JSON object.
	ErrNotObject = errors.New("schemas: not a JSON object")
	// ErrSchema means a schema file (embedded or given in Options.Extra) could
	// not be read, parsed or compiled.
	ErrSchema = errors.New("schemas: bad schema")
)

// Error is one schema finding about one object.
type Error struct {
	// ObjectID is the id of the object the finding is about ("" when the
	// object has no string id).
	ObjectID string
	// Pointer is the RFC 6901 JSON pointer of the offending value inside the
	// object ("" for the object itself). For a missing required property it
	// points at where the property should be.
	Pointer string
	// Code is stable: "schema/" followed by the JSON Schema keyword that
	// failed, for example "schema/required", "schema/pattern", "schema/enum".
	Code string
	// Msg is a human-readable description.
	Msg string
}

// Error implements the error interface.
func (e *Error) Error() string {
	id := e.ObjectID
	if id == "" {
		id = "(no id)"
	}
	p := e.Pointer
	if p == "" {
		p = "/"
	}
	return fmt.Sprintf("%s %s: %s [%s]", id, p, e.Msg, e.Code)
}

// Options configures a Validator. The zero value validates with the embedded
// schemas only.
type Options struct {
	// Extra holds additional schema files (every *.json file, searched
	// recursively; os.DirFS(dir) for a directory). Each file is registered
	// under its "$id", or, without one, under BaseURL + "extra/" + its path, so
	// a relative "$ref": "../common/core.json" reaches the embedded core.
	//
	// The schema's "title" (or, without a title, the file name without
	// ".json") says what it validates:
	//   - an extension-definition id ("extension-definition--<uuid>") or an
	//     extension name ending in "-ext": the content of that extension,
	//     wherever it appears in an object's extensions property (checked in
	//     addition to the object's own schema);
	//     (for a toplevel-property-extension, whose properties are at the
	//     top level: the whole object);
	//   - any other STIX type name: objects of that type, in addition to
	//     the embedded schema of the type (or, for a custom type, to the
	//     common properties' schema), as the OASIS validator applies its
	//     --schemas.
	//
	// A file need not declare "type": "object": schemas written for the
	// OASIS validator (often bare "properties") work as they are.
	Extra fs.FS
}

// Validator validates STIX objects against compiled schemas. It is safe for
// concurrent use by multiple goroutines; build it once and share it.
type Validator struct {
	types   map[string]*lazySchema            // object type → schema
	more    map[string][]*gojsonschema.Schema // object type → extra schemas
	exts    map[string]*gojsonschema.Schema   // extension key → schema of its content
	core    *lazySchema
	scoCore *lazySchema
	// noFast disables the fast path (the reference of the tests).
	noFast bool
}

// lazySchema is an embedded schema: its fast check (see fast.go), and its
// gojsonschema form, compiled on first use when the fast check does not
// prove an object valid (most of the startup cost otherwise).
type lazySchema struct {
	fast *fnode
	once sync.Once
	s    *gojsonschema.Schema
	err  error
	load func() (*gojsonschema.Schema, error) // nil once s is set
}

func (l *lazySchema) schema() (*gojsonschema.Schema, error) {
	l.once.Do(func() {
		if l.load != nil {
			l.s, l.err = l.load()
		}
	})
	return l.s, l.err
}

var defaultValidator = sync.OnceValues(func() (*Validator, error) { return New(Options{}) })

// Default returns the shared Validator over the embedded schemas, built on
// first use. It panics if the embedded schemas do not compile, which the
// package's tests rule out.
func Default() *Validator {
	v, err := defaultValidator()
	if err != nil {
		panic(err)
	}
	return v
}

type schemaFile struct {
	id, title, path string
	data            []byte
	object          bool // a STIX object / extension schema (has "type": "object")
}

func readSchemas(fsys fs.FS, defaultBase string) ([]schemaFile, error) {
	var out []schemaFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var head struct {
			ID    string `json:"$id"`
			Title string `json:"title"`
			Type  any    `json:"type"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrSchema, p, err)
		}
		f := schemaFile{id: head.ID, title: head.Title, path: p, data: b, object: head.Type == "object"}
		if f.id == "" {
			f.id = defaultBase + p
		}
		if f.title == "" {
			f.title = strings.TrimSuffix(path.Base(p), ".json")
		}
		out = append(out, f)
		return nil
	})
	if err != nil && !errors.Is(err, ErrSchema) {
		err = fmt.Errorf("%w: %v", ErrSchema, err)
	}
	return out, err
}

// New compiles the embedded schemas plus opt.Extra. No network access happens:
// every $ref must resolve to a registered file.
func New(opt Options) (*Validator, error) {
	builtin, err := readSchemas(embedded, BaseURL)
	if err != nil {
		return nil, err
	}
	var extra []schemaFile
	if opt.Extra != nil {
		if extra, err = readSchemas(opt.Extra, BaseURL+"extra/"); err != nil {
			return nil, err
		}
	}
	if err := checkRefs(builtin, extra); err != nil {
		return nil, err
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Validate = false
	loader.Draft = gojsonschema.Draft7
	loader.AutoDetect = false
	for _, f := range append(append([]schemaFile(nil), builtin...), extra...) {
		if err := loader.AddSchema(f.id, gojsonschema.NewBytesLoader(f.data)); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrSchema, f.path, err)
		}
	}
	// Schemas written for the OASIS validator refer to the OASIS
	// repository's URLs: those resolve to the embedded files of the same
	// path, offline.
	for _, f := range builtin {
		if len(extra) == 0 {
			break
		}
		data := bytes.Replace(f.data, []byte(`"$id": "`+BaseURL), []byte(`"$id": "`+OASISBaseURL), 1)
		if err := loader.AddSchema(OASISBaseURL+f.path, gojsonschema.NewBytesLoader(data)); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrSchema, f.path, err)
		}
	}
	// The loader is not safe for concurrent compilations.
	var compileMu sync.Mutex
	compile := func(f schemaFile) (*gojsonschema.Schema, error) {
		compileMu.Lock()
		defer compileMu.Unlock()
		s, err := loader.Compile(gojsonschema.NewReferenceLoader(f.id))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrSchema, f.path, err)
		}
		return s, nil
	}
	v := &Validator{types: map[string]*lazySchema{}, more: map[string][]*gojsonschema.Schema{}, exts: map[string]*gojsonschema.Schema{}}
	// With an extra file in place of an embedded one, everything is
	// compiled now (errors show in New) and there is no fast path.
	eager := shadowsBuiltin(builtin, extra)
	var fastPaths []string
	var lazies []*lazySchema
	for _, f := range builtin {
		dir := path.Dir(f.path)
		if f.title != "core" && f.title != "cyber-observable-core" &&
			dir != "sdos" && dir != "sros" && dir != "observables" && !isMetaType(f.title) {
			continue
		}
		l := &lazySchema{}
		if eager {
			if l.s, err = compile(f); err != nil {
				return nil, err
			}
		} else {
			f := f
			l.load = func() (*gojsonschema.Schema, error) { return compile(f) }
		}
		switch f.title {
		case "core":
			v.core = l
		case "cyber-observable-core":
			v.scoCore = l
		default:
			v.types[f.title] = l
		}
		fastPaths = append(fastPaths, f.path)
		lazies = append(lazies, l)
	}
	if !eager {
		fc, err := newFastCompiler(builtin)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSchema, err)
		}
		for i, n := range fc.files(fastPaths) {
			lazies[i].fast = n
		}
	}
	for _, f := range extra {
		if !f.object && !validTypeName(f.title) && !isExtensionKey(f.title) {
			continue
		}
		s, err := compile(f)
		if err != nil {
			return nil, err
		}
		if isExtensionKey(f.title) {
			v.exts[f.title] = s
		} else {
			v.more[f.title] = append(v.more[f.title], s)
		}
	}
	return v, nil
}

// shadowsBuiltin reports whether an extra schema file takes the $id of an
// embedded one; the fast path then stays off, as the embedded files may
// no longer be what gojsonschema validates with.
func shadowsBuiltin(builtin, extra []schemaFile) bool {
	ids := make(map[string]bool, len(builtin))
	for _, f := range builtin {
		ids[f.id] = true
	}
	for _, f := range extra {
		if ids[f.id] {
			return true
		}
	}
	return false
}

func isMetaType(t string) bool {
	switch t {
	case "marking-definition", "language-content", "extension-definition", "bundle":
		return true
	}
	return false
}

func isExtensionKey(k string) bool {
	return strings.HasPrefix(k, "extension-definition--") || strings.HasSuffix(k, "-ext")
}

// HasSchema reports whether objects of the given type have a schema of their
// own (embedded or added); other types are checked against the core schemas.
func (v *Validator) HasSchema(typ string) bool {
	_, ok := v.types[typ]
	return ok || len(v.more[typ]) > 0
}

// validTypeName reports whether s has the form of a STIX type name (and
// does not end with a hyphen, as a schema file's name).
func validTypeName(s string) bool {
	return stixid.ValidTypeName(s) && s[len(s)-1] != '-'
}

// ValidateObject validates one STIX object (one JSON object, for example an
// element of a bundle's objects) against the schema of its type. It returns
// the findings, sorted by pointer; an empty result means the object is valid.
// The error is non-nil only when raw is not a single JSON object.
func (v *Validator) ValidateObject(raw []byte) ([]*Error, error) {
	return v.ValidateObjectVersion(raw, "")
}

// ValidateObjectVersion is ValidateObject for an object taken from a bundle
// whose spec_version is bundleSpecVersion (STIX 2.0 bundles carry the version
// on the bundle, not on the objects). When the object has created or modified
// (so it is not an observable) but no spec_version, bundleSpecVersion stands
// in for it; "" adds nothing. STIX 2.0 objects are thus checked as the STIX
// 2.1 objects they would be, with spec_version "2.0": properties that STIX
// 2.1 made required (malware is_family, for example) are reported.
func (v *Validator) ValidateObjectVersion(raw []byte, bundleSpecVersion string) ([]*Error, error) {
	doc, err := jsonscan.DecodeAny(raw, jsonscan.Limits{MaxDepth: 10000})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, ErrNotObject
	}
	if bundleSpecVersion != "" {
		if _, has := obj["spec_version"]; !has {
			_, c := obj["created"]
			_, m := obj["modified"]
			if c || m {
				obj["spec_version"] = bundleSpecVersion
			}
		}
	}
	return v.ValidateValue(obj), nil
}

// ValidateValue validates an object already decoded from JSON into
// map[string]any, []any, string, json.Number, bool and nil (encoding/json
// with json.Decoder.UseNumber gives that form; float64 numbers would be
// reported as wrong types). The map is not modified.
func (v *Validator) ValidateValue(obj map[string]any) []*Error {
	id, _ := obj["id"].(string)
	var errs []*Error
	typ, _ := obj["type"].(string)
	s := v.types[typ]
	if s == nil {
		_, c := obj["created"]
		_, m := obj["modified"]
		if c || m {
			s = v.core
		} else {
			s = v.scoCore
		}
	}
	errs = v.runLazy(s, obj, id, "", errs)
	for _, ms := range v.more[typ] {
		errs = v.run(ms, obj, id, "", errs)
	}
	if typ == "observed-data" {
		if objects, ok := obj["objects"].(map[string]any); ok {
			for k, o := range objects {
				sco, ok := o.(map[string]any)
				if !ok {
					continue // reported by the observed-data schema
				}
				st, _ := sco["type"].(string)
				ss := v.types[st]
				if ss == nil {
					ss = v.scoCore
				}
				errs = v.runLazy(ss, sco, id, "/objects/"+escapePointer(k), errs)
			}
		}
	}
	if len(v.exts) > 0 {
		if exts, ok := obj["extensions"].(map[string]any); ok {
			for k, e := range exts {
				es := v.exts[k]
				if es == nil {
					continue
				}
				if em, _ := e.(map[string]any); em["extension_type"] == "toplevel-property-extension" {
					// Its properties are the object's own.
					errs = v.run(es, obj, id, "", errs)
					continue
				}
				errs = v.run(es, e, id, "/extensions/"+escapePointer(k), errs)
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Msg < b.Msg
	})
	// An extra schema that includes the core one repeats its findings.
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && *e == *errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// runLazy validates doc against an embedded schema: the fast check first,
// then, unless it proves doc valid, gojsonschema.
func (v *Validator) runLazy(l *lazySchema, doc any, id, prefix string, errs []*Error) []*Error {
	if !v.noFast && l.fast != nil && l.fast.check(doc) == vYes {
		return errs // proven valid: gojsonschema would find nothing
	}
	s, err := l.schema()
	if err != nil {
		return append(errs, &Error{ObjectID: id, Pointer: prefix, Code: "schema/internal", Msg: err.Error()})
	}
	return v.run(s, doc, id, prefix, errs)
}

func (v *Validator) run(s *gojsonschema.Schema, doc any, id, prefix string, errs []*Error) []*Error {
	doc, restore := tameNumbers(doc)
	if restore != nil {
		n := len(errs)
		defer func() {
			for _, e := range errs[n:] {
				e.Msg = restore.Replace(e.Msg)
			}
		}()
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		return append(errs, &Error{ObjectID: id, Pointer: prefix, Code: "schema/internal", Msg: err.Error()})
	}
	if res.Valid() {
		return errs
	}
	all := res.Errors()
	// Wrapper errors (allOf, then, else) only repeat the errors merged from
	// their branches; keep them only when nothing more precise was found.
	detailed := 0
	for _, e := range all {
		if !isWrapper(e.Type()) {
			detailed++
		}
	}
	// A propertyNames failure also carries the nested failure on the name
	// itself; report the name once.
	badNames := map[string]bool{}
	for _, e := range all {
		if e.Type() == "invalid_property_name" {
			badNames[e.Context().String("\x00")+"\x00"+fmt.Sprint(e.Details()["property"])] = true
		}
	}
	patternAt := map[string]bool{}
	// anyOf/oneOf findings only say that no branch fits; drop them where a
	// branch's own finding sits at or under the same place.
	// A branch's missing property is only one way to fit: such "required"
	// findings do not replace the anyOf/oneOf finding, they illustrate it.
	var detailedAt []string
	lacks := map[string]string{} // anyOf pointer → a property a branch requires
	for _, e := range all {
		switch e.Type() {
		case "number_any_of", "number_one_of", "number_all_of", "condition_then", "condition_else":
		case "required":
			lacks[contextPointer(e.Context().String("\x00"))] = fmt.Sprint(e.Details()["property"])
		default:
			detailedAt = append(detailedAt, contextPointer(e.Context().String("\x00")))
		}
	}
	alternatives := map[string]bool{} // pointers of the anyOf/oneOf findings kept
	covered := func(p string) bool {
		for _, d := range detailedAt {
			if d == p || strings.HasPrefix(d, p+"/") || p == "" {
				return true
			}
		}
		return false
	}
	typ := ""
	if m, ok := doc.(map[string]any); ok {
		typ, _ = m["type"].(string)
	}
	for _, e := range all {
		t := e.Type()
		if detailed > 0 && isWrapper(t) {
			continue
		}
		ctx := e.Context().String("\x00")
		if t != "invalid_property_name" {
			if name, ok := e.Value().(string); ok && badNames[ctx+"\x00"+name] {
				continue
			}
		}
		p := prefix + contextPointer(ctx)
		switch t {
		case "required", "invalid_property_name", "additional_property_not_allowed":
			p += "/" + escapePointer(fmt.Sprint(e.Details()["property"]))
		case "missing_dependency":
			p += "/" + escapePointer(fmt.Sprint(e.Details()["dependency"]))
		}
		if t == "number_any_of" || t == "number_one_of" {
			cp := contextPointer(ctx)
			if covered(cp) {
				continue
			}
			alternatives[cp] = true
			msg := message(e, prefix+cp)
			if l, ok := lacks[cp]; ok {
				msg += " (it lacks " + l + ", for one)"
			}
			errs = append(errs, &Error{ObjectID: id, Pointer: prefix + cp, Code: "schema/" + keyword(t), Msg: msg})
			continue
		}
		if t == "number_not" {
			// A conditional "not required" of the schema (is_active and
			// end…): name the property and the condition.
			if m, ok := doc.(map[string]any); ok && ctx == "(root)" {
				if msg, prop, ok := conditionMessage(typ, m); ok {
					errs = append(errs, &Error{ObjectID: id, Pointer: prefix + "/" + escapePointer(prop), Code: "schema/not", Msg: msg})
					continue
				}
			}
		}
		if t == "required" && alternatives[contextPointer(ctx)] {
			continue
		}
		// One finding per value: a bad timestamp fails two patterns.
		if t == "pattern" && patternAt[p] {
			continue
		}
		if t == "pattern" {
			patternAt[p] = true
		}
		msg := message(e, p)
		if t == "invalid_property_name" {
			// Say what form the key should have, from the failure of
			// the name itself.
			name := fmt.Sprint(e.Details()["property"])
			for _, n := range all {
				if n.Type() == "pattern" && n.Value() == name && n.Context().String("\x00") == ctx {
					msg = fmt.Sprintf("key %q %s", name, expectation(fmt.Sprint(n.Details()["pattern"])))
					break
				}
			}
		}
		errs = append(errs, &Error{ObjectID: id, Pointer: p, Code: "schema/" + keyword(t), Msg: msg})
	}
	return errs
}

func isWrapper(t string) bool {
	return t == "number_all_of" || t == "condition_then" || t == "condition_else"
}

// contextPointer turns a gojsonschema context rendered with NUL separators
// ("(root)\x00a\x00b") into a JSON pointer ("/a/b").
func contextPointer(ctx string) string {
	parts := strings.Split(ctx, "\x00")
	var b strings.Builder
	for _, p := range parts[1:] {
		b.WriteByte('/')
		b.WriteString(escapePointer(p))
	}
	return b.String()
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// keyword maps gojsonschema error types to JSON Schema keywords.
func keyword(t string) string {
	switch t {
	case "invalid_type":
		return "type"
	case "number_any_of":
		return "anyOf"
	case "number_one_of":
		return "oneOf"
	case "number_all_of":
		return "allOf"
	case "number_not":
		return "not"
	case "missing_dependency":
		return "dependencies"
	case "array_no_additional_items":
		return "additionalItems"
	case "array_min_items":
		return "minItems"
	case "array_max_items":
		return "maxItems"
	case "unique":
		return "uniqueItems"
	case "array_min_properties":
		return "minProperties"
	case "array_max_properties":
		return "maxProperties"
	case "additional_property_not_allowed":
		return "additionalProperties"
	case "invalid_property_pattern":
		return "patternProperties"
	case "invalid_property_name":
		return "propertyNames"
	case "string_gte":
		return "minLength"
	case "string_lte":
		return "maxLength"
	case "multiple_of":
		return "multipleOf"
	case "number_gte":
		return "minimum"
	case "number_gt":
		return "exclusiveMinimum"
	case "number_lte":
		return "maximum"
	case "number_lt":
		return "exclusiveMaximum"
	case "condition_then":
		return "then"
	case "condition_else":
		return "else"
	}
	return t // required, enum, const, contains, pattern, format, false, internal
}
