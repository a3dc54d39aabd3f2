package gen

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

type builder struct {
	set    *schemaSet
	ir     *IR
	byNode map[*node]*Type   // struct types already built, by schema node
	vocabs map[*node]*Vocab  // vocabularies already built
	names  map[string]string // Go names taken → source, to detect clashes
	errs   []error
}

// build turns the loaded schemas into the IR.
func build(set *schemaSet, pkg, sourcePrefix string) (*IR, error) {
	b := &builder{set: set, ir: &IR{Package: pkg, SourcePrefix: sourcePrefix}, byNode: map[*node]*Type{}, vocabs: map[*node]*Vocab{}, names: map[string]string{}}
	if pkg != "stix" {
		b.ir.Qual = "stix."
	}
	for _, f := range set.order {
		b.file(f)
	}
	if len(b.errs) > 0 {
		return nil, joinErrs(b.errs)
	}
	sort.SliceStable(b.ir.Types, func(i, j int) bool { return b.ir.Types[i].Source < b.ir.Types[j].Source })
	for _, t := range b.ir.Types {
		t.Ctor = buildCtor(t, pkg)
	}
	sort.SliceStable(b.ir.Vocabs, func(i, j int) bool { return b.ir.Vocabs[i].Name < b.ir.Vocabs[j].Name })
	return b.ir, nil
}

func (b *builder) errf(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

// file builds the top-level type a schema file defines, if any: a STIX
// object type (its composed properties fix "type") or a predefined
// extension (title ending in "-ext" or a file under extensions/).
func (b *builder) file(f *schemaFile) {
	root := f.root
	if root.getStr("type") != "object" && root.get("allOf") == nil {
		return
	}
	props, required, err := b.compose(f, root)
	if err != nil {
		b.errs = append(b.errs, err)
		return
	}
	title := root.getStr("title")
	stixType := fixedType(props)
	category := ""
	switch {
	case stixType == "bundle":
		return // hand-written
	case stixType != "":
		category = b.category(f, root, stixType)
	case strings.HasSuffix(title, "-ext") || strings.HasPrefix(f.path, "extensions/"):
		stixType, category = title, "extension"
		if stixType == "" {
			stixType = strings.TrimSuffix(path.Base(f.path), ".json")
		}
	default:
		return // embedded types are built when referenced
	}
	t := b.structType(f, root, goName(stixType), props, required)
	t.STIXType, t.Category = stixType, category
	t.IDContributing = root.strings("x-stixkit-id-contributing")
}

// category classifies a STIX object type.
func (b *builder) category(f *schemaFile, root *node, typ string) string {
	for _, part := range listOf(root.get("allOf")) {
		ref := part.getStr("$ref")
		switch path.Base(ref) {
		case "cyber-observable-core.json":
			return "sco"
		case "core.json":
			if strings.HasPrefix(f.path, "sros/") || typ == "relationship" || typ == "sighting" {
				return "sro"
			}
			return "sdo"
		}
	}
	return "meta"
}

func fixedType(props []prop) string {
	for _, p := range props {
		if p.name != "type" {
			continue
		}
		nodes := append([]*node{p.n}, p.extra...)
		for i := len(nodes) - 1; i >= 0; i-- {
			if c := nodes[i].get("const"); c != nil && c.kind == 's' {
				return c.str
			}
			if e := nodes[i].get("enum"); e != nil && len(e.items) == 1 && e.items[0].kind == 's' {
				return e.items[0].str
			}
		}
	}
	return ""
}

func listOf(n *node) []*node {
	if n == nil || n.kind != 'a' {
		return nil
	}
	return n.items
}

// prop is one composed property: its schema node and the file it is in.
type prop struct {
	name string
	n    *node
	f    *schemaFile
	// extra holds later re-declarations (e.g. a type's "type" const over
	// core's generic "type"), consulted first.
	extra []*node
}

// compose collects the properties of a schema in serialization order: the
// properties of $ref'd bases first (type-specific ones inserted after the
// base's "x-stixkit-specific-after" property, or after "modified", else
// "id"), then its own. It also returns the required names.
func (b *builder) compose(f *schemaFile, n *node) ([]prop, map[string]bool, error) {
	required := map[string]bool{}
	var props []prop
	insertAt := -1
	add := func(pf *schemaFile, pn *node) {
		for _, m := range pn.members {
			found := false
			for i := range props {
				if props[i].name == m.key {
					props[i].extra = append(props[i].extra, m.val)
					found = true
					break
				}
			}
			if found {
				continue
			}
			p := prop{name: m.key, n: m.val, f: pf}
			if insertAt >= 0 && insertAt <= len(props) {
				props = append(props, prop{})
				copy(props[insertAt+1:], props[insertAt:])
				props[insertAt] = p
				insertAt++
			} else {
				props = append(props, p)
			}
		}
	}
	var walk func(f *schemaFile, n *node, depth int) error
	walk = func(f *schemaFile, n *node, depth int) error {
		if depth > 20 {
			return fmt.Errorf("%s: $ref chain too deep", f.path)
		}
		if ref := n.getStr("$ref"); ref != "" {
			tf, tn, err := b.set.resolve(f, ref)
			if err != nil {
				return err
			}
			if err := walk(tf, tn, depth+1); err != nil {
				return err
			}
			if after := tn.getStr("x-stixkit-specific-after"); after != "" {
				insertAt = indexOf(props, after) + 1
			} else if insertAt < 0 {
				if i := indexOf(props, "modified"); i >= 0 {
					insertAt = i + 1
				} else if i := indexOf(props, "id"); i >= 0 {
					insertAt = i + 1
				}
			}
		}
		for _, part := range listOf(n.get("allOf")) {
			if err := walk(f, part, depth+1); err != nil {
				return err
			}
		}
		if ps := n.get("properties"); ps != nil {
			add(f, ps)
		}
		for _, r := range n.strings("required") {
			required[r] = true
		}
		return nil
	}
	if err := walk(f, n, 0); err != nil {
		return nil, nil, err
	}
	return props, required, nil
}

func indexOf(props []prop, name string) int {
	for i, p := range props {
		if p.name == name {
			return i
		}
	}
	return -1
}

// structType builds (once per schema node) the Go struct for an object
// schema with the given composed properties.
func (b *builder) structType(f *schemaFile, n *node, name string, props []prop, required map[string]bool) *Type {
	if t, ok := b.byNode[n]; ok {
		return t
	}
	t := &Type{Name: name, Category: "embedded", Source: f.path, Doc: n.getStr("description"), External: f.base}
	b.byNode[n] = t
	if src, taken := b.names[name]; taken && !t.External {
		b.errf("%s: Go name %s already used by %s", f.path, name, src)
	}
	b.names[name] = f.path
	if !t.External {
		b.ir.Types = append(b.ir.Types, t)
	}
	for i, p := range props {
		fd := b.field(t, p, required[p.name])
		fd.Index = i
		t.Fields = append(t.Fields, fd)
	}
	if len(t.Fields) > 63 {
		b.errf("%s: %d properties; at most 63 are supported", f.path, len(t.Fields))
	}
	return t
}

// field decides the Go name and type of one property.
func (b *builder) field(owner *Type, p prop, required bool) *Field {
	fd := &Field{JSON: p.name, Name: goName(p.name), Required: required}
	nodes := append([]*node{p.n}, p.extra...)
	for _, n := range nodes {
		if d := n.getStr("description"); d != "" && fd.Doc == "" {
			fd.Doc = d
		}
		if ts := n.getStr("x-stixkit-timestamp"); ts != "" {
			fd.Timestamp = ts
		}
		if rt := n.strings("x-stixkit-ref-types"); rt != nil {
			fd.RefTypes = rt
		}
		if it := n.get("items"); it != nil {
			if rt := it.strings("x-stixkit-ref-types"); rt != nil {
				fd.RefTypes = rt
			}
		}
		if d := n.get("default"); d != nil {
			fd.Default = literal(d)
		}
	}
	if p.name == "type" {
		fd.Kind, fd.GoType = "type", "string"
		for i := len(nodes) - 1; i >= 0; i-- {
			if c := nodes[i].get("const"); c != nil && c.kind == 's' {
				fd.Fixed = c.str
				break
			}
			if e := nodes[i].get("enum"); e != nil && len(e.items) == 1 {
				fd.Fixed = e.items[0].str
				break
			}
		}
		return fd
	}
	if p.name == "extensions" {
		fd.Kind, fd.GoType = "extensions", b.ir.Qual+"Extensions"
		return fd
	}
	// The most specific declaration that maps to a Go type wins, except
	// that a plain string (or list of strings) does not undo a richer type
	// of the same JSON type declared by a base schema: a user schema that
	// narrows core.json's id with a pattern keeps an Identifier.
	for i := len(nodes) - 1; i >= 0; i-- {
		if k, gt, el := b.typeOf(owner, p.f, nodes[i], p.name, 0); k != "" {
			if fd.Kind == "" {
				fd.Kind, fd.GoType, fd.Elem = k, gt, el
				if k != "string" && k != "strings" {
					break
				}
				continue
			}
			if fd.Kind == "string" && (k == "identifier" || k == "timestamp") || fd.Kind == "strings" && k == "identifiers" {
				fd.Kind, fd.GoType, fd.Elem = k, gt, el
				break
			}
		}
	}
	if fd.Kind == "" {
		fd.Kind, fd.GoType = "raw", "json.RawMessage"
	}
	if p.name == "id" && fd.Kind == "string" {
		// An object's id is an identifier whatever the schema says of it.
		fd.Kind, fd.GoType, fd.Elem = "identifier", b.ir.Qual+"Identifier", ""
	}
	if p.name == "id" && fd.Kind != "identifier" {
		b.errf("%s: property id: must be a string (a STIX identifier), not %s", p.f.path, fd.Kind)
	}
	if fd.Kind == "string" || fd.Kind == "strings" {
		fd.Vocab = b.vocabKey(p.f, nodes)
	}
	return fd
}

func (b *builder) vocabKey(f *schemaFile, nodes []*node) string {
	for _, n := range nodes {
		for _, c := range []*node{n, n.get("items")} {
			if ref := c.getStr("$ref"); strings.Contains(ref, "#/definitions/") {
				return ref[strings.LastIndex(ref, "/")+1:]
			}
		}
	}
	return ""
}

// typeOf maps a property schema to a field kind, its Go type and element
// type; kind "" means "no decision here".
func (b *builder) typeOf(owner *Type, f *schemaFile, n *node, jsonName string, depth int) (kind, goType, elem string) {
	q := b.ir.Qual
	if depth > 20 || n == nil {
		return "", "", ""
	}
	if ref := n.getStr("$ref"); ref != "" {
		tf, tn, err := b.set.resolve(f, ref)
		if err != nil {
			b.errs = append(b.errs, err)
			return "", "", ""
		}
		_, frag, _ := strings.Cut(ref, "#")
		if frag == "" {
			switch path.Base(tf.path) {
			case "timestamp.json":
				return "timestamp", q + "Timestamp", ""
			case "identifier.json":
				return "identifier", q + "Identifier", ""
			case "hashes.json", "hashes-type.json":
				return "hashes", q + "Hashes", ""
			case "dictionary.json":
				return "dict", q + "Dict", ""
			case "extensions.json":
				return "extensions", q + "Extensions", ""
			case "binary.json", "hex.json", "url-regex.json":
				return "string", "string", ""
			}
		}
		if v := b.vocab(tf, tn, frag); v != nil {
			return "string", b.qualify(tf, v.Name), ""
		}
		if t := b.embedded(tf, tn, frag, owner.Name+goName(jsonName)); t != nil {
			return "struct", "*" + b.qualify(tf, t.Name), b.qualify(tf, t.Name)
		}
		return b.typeOf(owner, tf, tn, jsonName, depth+1)
	}
	for _, part := range listOf(n.get("allOf")) {
		if k, gt, el := b.typeOf(owner, f, part, jsonName, depth+1); k != "" {
			return k, gt, el
		}
	}
	switch n.getStr("type") {
	case "string":
		return "string", "string", ""
	case "boolean":
		return "bool", "bool", ""
	case "integer":
		return "int", "int", ""
	case "number":
		return "float", "float64", ""
	case "array":
		k, gt, _ := b.typeOf(owner, f, n.get("items"), jsonName, depth+1)
		switch k {
		case "string":
			return "strings", "[]" + gt, gt
		case "identifier":
			return "identifiers", "[]" + gt, gt
		case "struct":
			el := strings.TrimPrefix(gt, "*")
			return "structs", "[]" + el, el
		}
		return "raw", "json.RawMessage", ""
	case "object":
		if n.get("properties") != nil {
			if t := b.embedded(f, n, "", owner.Name+goName(jsonName)); t != nil {
				return "struct", "*" + b.qualify(f, t.Name), b.qualify(f, t.Name)
			}
		}
		return "dict", q + "Dict", ""
	}
	return "", "", ""
}

// qualify prefixes names of base-package types.
func (b *builder) qualify(f *schemaFile, name string) string {
	if f.base && b.ir.Qual != "" {
		return b.ir.Qual + name
	}
	return name
}

// embedded returns the struct type for an object schema with properties
// (a file such as external-reference.json or a definition), or nil.
func (b *builder) embedded(f *schemaFile, n *node, frag, fallback string) *Type {
	if n.getStr("type") != "object" && n.get("allOf") == nil {
		return nil
	}
	props, required, err := b.compose(f, n)
	if err != nil {
		b.errs = append(b.errs, err)
		return nil
	}
	if len(props) == 0 || fixedType(props) != "" {
		return nil
	}
	name := n.getStr("title")
	if frag != "" {
		name = frag[strings.LastIndex(frag, "/")+1:]
	} else if name == "" && n == f.root {
		name = strings.TrimSuffix(path.Base(f.path), ".json")
	}
	goN := fallback
	if name != "" {
		goN = goName(name)
	}
	return b.structType(f, n, goN, props, required)
}

// vocab returns the vocabulary for a string definition with enum or
// examples values, or nil.
func (b *builder) vocab(f *schemaFile, n *node, frag string) *Vocab {
	if frag == "" || n.getStr("type") != "string" {
		return nil
	}
	if v, ok := b.vocabs[n]; ok {
		return v
	}
	key := frag[strings.LastIndex(frag, "/")+1:]
	vals := n.strings("enum")
	open := false
	if vals == nil {
		vals, open = n.strings("examples"), true
	}
	if vals == nil {
		return nil
	}
	v := &Vocab{Name: vocabName(key), Key: key, Open: open, Doc: n.getStr("description"), Source: f.path}
	if _, taken := b.names[v.Name]; taken {
		v.Name += "Value" // e.g. the opinion enum beside the Opinion SDO
	}
	seen := map[string]bool{}
	for _, val := range vals {
		c := v.Name + goName(val)
		for seen[c] {
			c += "X"
		}
		seen[c] = true
		v.Values = append(v.Values, VocabValue{Const: c, Value: val})
	}
	b.vocabs[n] = v
	if !f.base {
		if src, taken := b.names[v.Name]; taken {
			b.errf("%s: vocabulary type %s clashes with %s", f.path, v.Name, src)
		}
		b.names[v.Name] = f.path
		b.ir.Vocabs = append(b.ir.Vocabs, v)
	}
	return v
}

// literal renders a schema value as JSON text.
func literal(n *node) string {
	switch n.kind {
	case 's':
		return fmt.Sprintf("%q", n.str)
	case 'n':
		return n.str
	case 'b':
		if n.boolean {
			return "true"
		}
		return "false"
	case 'z':
		return "null"
	}
	return ""
}

func joinErrs(errs []error) error {
	var sb strings.Builder
	for i, e := range errs {
		if i > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString(e.Error())
	}
	return fmt.Errorf("%s", sb.String())
}
