package bundle

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/stixkit/stixkit/internal/pyjson"
	"github.com/stixkit/stixkit/stix"
)

// Style selects how objects are written.
type Style int

const (
	// Canonical is the stix package's form: specification order, custom
	// properties after in their order, compact, UTF-8.
	Canonical Style = iota
	// Python is byte-identical with the Python stix2 library's
	// serialize(): ", " and ": " separators, ASCII escaping, custom
	// properties sorted, Python timestamp precision and float formatting,
	// spec defaults (revoked false…) and empty lists omitted,
	// pattern_version "2.1" added for STIX patterns.
	Python
	// PythonPretty is serialize(pretty=True): indent 4, and plain
	// dictionaries sorted by key.
	PythonPretty
)

// ParseStyle maps "canonical", "python" and "python-pretty" to a Style.
func ParseStyle(s string) (Style, error) {
	switch s {
	case "canonical", "":
		return Canonical, nil
	case "python":
		return Python, nil
	case "python-pretty":
		return PythonPretty, nil
	}
	return 0, fmt.Errorf("bundle: unknown style %q (want canonical, python or python-pretty)", s)
}

// String returns the style's name.
func (s Style) String() string {
	switch s {
	case Python:
		return "python"
	case PythonPretty:
		return "python-pretty"
	}
	return "canonical"
}

// Marshal writes one object (or a *stix.Bundle) in the given style.
func Marshal(obj stix.Object, style Style) ([]byte, error) {
	return style.appendObject(nil, obj, 0)
}

// appendObject writes obj; level is the indentation level it starts at
// (pretty only).
func (s Style) appendObject(b []byte, obj stix.Object, level int) ([]byte, error) {
	if s == Canonical {
		return stix.AppendJSON(b, obj)
	}
	v, err := pythonValue(obj, s == PythonPretty)
	if err != nil {
		return nil, err
	}
	opt := pyjson.DumpOptions{}
	if s == PythonPretty {
		opt.Indent = 4
		out := pyjson.Dumps(v, opt)
		if level > 0 {
			pad := strings.Repeat("    ", 2*level)
			out = []byte(strings.ReplaceAll(string(out), "\n", "\n"+pad))
		}
		return append(b, out...), nil
	}
	return pyjson.AppendDumps(b, v, opt), nil
}

func pyString(b []byte, s string) []byte { return pyjson.AppendString(b, s, true) }

// defaultOmitted lists the optional properties the Python library omits
// when they hold their specification default (false).
var defaultOmitted = map[string]bool{"revoked": true, "defanged": true, "summary": true}

// pythonValue returns obj as the Python stix2 library would hold it for
// serialization: members in its order with its value formatting. With
// pretty, plain dictionaries are sorted by key as serialize(pretty=True)
// sorts them. Marshal with a Python style gives its bytes.
func pythonValue(obj stix.Object, pretty bool) (pyjson.Value, error) {
	raw, err := stix.Marshal(obj)
	if err != nil {
		return pyjson.Value{}, err
	}
	v, err := pyjson.Parse(raw, pyjson.ParseOptions{})
	if err != nil {
		return pyjson.Value{}, err
	}
	return pyTop(v, pretty)
}

// FormatPython rewrites JSON input (a bundle, an object or an array of
// objects) as the Python stix2 library's serialize() would write it after
// parsing it, including its coercions of loosely typed input ("42" for an
// integer property, "true" for a boolean…).
func FormatPython(data []byte, pretty bool) ([]byte, error) {
	v, err := pyjson.Parse(data, pyjson.ParseOptions{DisallowNaN: true})
	if err != nil {
		return nil, err
	}
	if v.Kind == pyjson.Array {
		out := pyjson.ArrayValue()
		for i, it := range v.Arr {
			o, err := pyTop(it, pretty)
			if err != nil {
				return nil, fmt.Errorf("objects[%d]: %w", i, err)
			}
			out.Arr = append(out.Arr, o)
		}
		v = out
	} else if v, err = pyTop(v, pretty); err != nil {
		return nil, err
	}
	opt := pyjson.DumpOptions{}
	if pretty {
		opt.Indent = 4
	}
	return pyjson.Dumps(v, opt), nil
}

// pyTop dispatches on the object's type.
func pyTop(v pyjson.Value, pretty bool) (pyjson.Value, error) {
	if v.Kind != pyjson.Object {
		return pyjson.Value{}, fmt.Errorf("bundle: not a JSON object")
	}
	t, _ := v.Get("type")
	if t.Kind != pyjson.String {
		return pyjson.Value{}, fmt.Errorf("bundle: object has no string type")
	}
	if t.Str == "bundle" {
		return pyBundle(v, pretty)
	}
	info, ok := stix.Info(t.Str)
	if !ok {
		return pyGeneric(v, pretty)
	}
	out := pyStruct(v, info, pretty)
	if info.Category == "sco" {
		if err := addSCOID(&out); err != nil {
			return pyjson.Value{}, err
		}
	}
	return out, nil
}

// addSCOID gives an SCO without id the id the Python library assigns at
// construction (not for STIX 2.0 input: no spec_version, no id), placed
// after type and spec_version.
func addSCOID(v *pyjson.Value) error {
	if _, ok := v.Get("id"); ok {
		return nil
	}
	if _, ok := v.Get("spec_version"); !ok {
		return nil
	}
	obj, err := stix.ParseObject(pyjson.Dumps(*v, pyjson.DumpOptions{}))
	if obj == nil {
		return err // values of the wrong type are kept: obj is usable
	}
	id, err := stix.DeterministicID(obj)
	if errors.Is(err, stix.ErrNoIDContributing) {
		id, err = stix.NewIdentifier(obj.ObjectType()), nil
	}
	if err != nil {
		return err
	}
	at := 0
	for i, m := range v.Obj {
		if m.Key == "type" || m.Key == "spec_version" {
			at = i + 1
		}
	}
	v.Obj = append(v.Obj, pyjson.Member{})
	copy(v.Obj[at+1:], v.Obj[at:])
	v.Obj[at] = pyjson.Member{Key: "id", Value: pyjson.StringValue(string(id))}
	return nil
}

func pyBundle(v pyjson.Value, pretty bool) (pyjson.Value, error) {
	out := pyjson.ObjectValue()
	for _, m := range v.Obj {
		if m.Key != "objects" {
			out.Obj = append(out.Obj, pyjson.Member{Key: m.Key, Value: pyPlain(m.Value, pretty)})
			continue
		}
		if m.Value.Kind != pyjson.Array {
			return pyjson.Value{}, fmt.Errorf("bundle: objects is not an array")
		}
		if len(m.Value.Arr) == 0 {
			continue
		}
		arr := pyjson.ArrayValue()
		for i, o := range m.Value.Arr {
			ov, err := pyTop(o, pretty)
			if err != nil {
				return pyjson.Value{}, fmt.Errorf("objects[%d]: %w", i, err)
			}
			arr.Arr = append(arr.Arr, ov)
		}
		out.Obj = append(out.Obj, pyjson.Member{Key: "objects", Value: arr})
	}
	return out, nil
}

// pyGeneric handles objects of types the registry does not know: the
// Python library keeps them as plain dictionaries (input order); an
// SCO-like one (no created/modified) without id gets its deterministic id.
func pyGeneric(v pyjson.Value, pretty bool) (pyjson.Value, error) {
	out := pyjson.ObjectValue()
	for _, m := range v.Obj {
		if !omitPy(m.Value) {
			out.Obj = append(out.Obj, pyjson.Member{Key: m.Key, Value: pyPlain(m.Value, pretty)})
		}
	}
	_, hasCreated := v.Get("created")
	_, hasModified := v.Get("modified")
	if !hasCreated && !hasModified {
		// Treated as a custom observable class: its order is kept.
		if err := addSCOID(&out); err != nil {
			return pyjson.Value{}, err
		}
	} else if pretty {
		sortMembers(out.Obj) // a plain dictionary
	}
	return out, nil
}

// omitPy reports values the Python library drops at construction.
func omitPy(v pyjson.Value) bool {
	return v.Kind == pyjson.Null || (v.Kind == pyjson.Array && len(v.Arr) == 0)
}

// pyStruct orders and formats a value of a generated type.
func pyStruct(v pyjson.Value, info *stix.TypeInfo, pretty bool) pyjson.Value {
	if v.Kind != pyjson.Object {
		return v
	}
	out := pyjson.ObjectValue()
	known := map[string]bool{}
	for _, p := range info.Properties {
		known[p.Name] = true
		m, ok := v.Get(p.Name)
		if !ok {
			if p.Name == "pattern_version" && info.Type == "indicator" {
				if pt, ok := v.Get("pattern_type"); ok && pt.Kind == pyjson.String && pt.Str == "stix" {
					out.Obj = append(out.Obj, pyjson.Member{Key: p.Name, Value: pyjson.StringValue("2.1")})
				}
			}
			continue
		}
		if sv, _ := v.Get("spec_version"); p.Name == "objects" && info.Type == "observed-data" && sv.Str == "2.1" && m.Kind == pyjson.Object {
			// Its entries are SCOs, not plain dictionaries: only the
			// dictionary's own keys are sorted when pretty.
			m = pyObservedObjects(m, pretty)
			if pretty {
				sortMembers(m.Obj)
			}
		} else {
			m = pyProperty(m, p, pretty)
		}
		if omitPy(m) || (defaultOmitted[p.Name] && m.Kind == pyjson.Bool && !m.Bool) {
			continue
		}
		out.Obj = append(out.Obj, pyjson.Member{Key: p.Name, Value: m})
	}
	var custom []pyjson.Member
	for _, m := range v.Obj {
		if !known[m.Key] && !omitPy(m.Value) {
			custom = append(custom, pyjson.Member{Key: m.Key, Value: pyPlain(m.Value, pretty)})
		}
	}
	sort.SliceStable(custom, func(i, j int) bool { return custom[i].Key < custom[j].Key })
	out.Obj = append(out.Obj, custom...)
	return out
}

// pyProperty formats one property value per its kind.
func pyProperty(v pyjson.Value, p stix.PropertyInfo, pretty bool) pyjson.Value {
	switch p.Kind {
	case "timestamp":
		if v.Kind == pyjson.String {
			if ts, err := stix.ParseTimestamp(pyTimestampText(v.Str)); err == nil {
				return pyjson.StringValue(string(ts.AppendPython(nil, p.Timestamp)))
			}
		}
	case "float":
		if v.Kind == pyjson.Number || v.Kind == pyjson.String {
			if f, err := strconv.ParseFloat(v.Str, 64); err == nil {
				return pyjson.FloatValue(f)
			}
		}
	case "int":
		if v.Kind == pyjson.Number && strings.ContainsAny(v.Str, ".eE") {
			if f, err := strconv.ParseFloat(v.Str, 64); err == nil && !math.IsInf(f, 0) {
				return pyjson.IntValue(int64(f))
			}
		}
		if v.Kind == pyjson.String { // int("42")
			if i, err := strconv.ParseInt(strings.TrimSpace(v.Str), 10, 64); err == nil {
				return pyjson.IntValue(i)
			}
		}
	case "bool":
		switch {
		case v.Kind == pyjson.String:
			switch strings.ToLower(v.Str) {
			case "true", "t", "1":
				return pyjson.BoolValue(true)
			case "false", "f", "0":
				return pyjson.BoolValue(false)
			}
		case v.Kind == pyjson.Number && (v.Str == "1" || v.Str == "0"):
			return pyjson.BoolValue(v.Str == "1")
		}
	case "struct":
		if info, ok := stix.InfoByGoName(p.Elem); ok {
			return pyStruct(v, info, pretty)
		}
	case "structs":
		if info, ok := stix.InfoByGoName(p.Elem); ok && v.Kind == pyjson.Array {
			out := pyjson.ArrayValue()
			for _, it := range v.Arr {
				out.Arr = append(out.Arr, pyStruct(it, info, pretty))
			}
			return out
		}
	case "extensions":
		if v.Kind == pyjson.Object {
			out := pyjson.ObjectValue()
			for _, m := range v.Obj {
				if info, ok := stix.Info(m.Key); ok && info.Category == "extension" {
					out.Obj = append(out.Obj, pyjson.Member{Key: m.Key, Value: pyStruct(m.Value, info, pretty)})
				} else {
					out.Obj = append(out.Obj, pyjson.Member{Key: m.Key, Value: pyPlain(m.Value, pretty)})
				}
			}
			if pretty {
				sortMembers(out.Obj)
			}
			return out
		}
	}
	return pyPlain(v, pretty)
}

// pyPlain formats a plain value: dictionaries keep input order, or are
// sorted (recursively) when pretty.
func pyPlain(v pyjson.Value, pretty bool) pyjson.Value {
	if !pretty {
		return v
	}
	switch v.Kind {
	case pyjson.Object:
		out := pyjson.ObjectValue(append([]pyjson.Member(nil), v.Obj...)...)
		for i := range out.Obj {
			out.Obj[i].Value = pyPlain(out.Obj[i].Value, pretty)
		}
		sortMembers(out.Obj)
		return out
	case pyjson.Array:
		out := pyjson.ArrayValue()
		for _, it := range v.Arr {
			out.Arr = append(out.Arr, pyPlain(it, pretty))
		}
		return out
	}
	return v
}

// sortMembers sorts by key as serialize(pretty=True) does: digit-only keys
// by their integer value, others by code point.
func sortMembers(ms []pyjson.Member) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i].Key, ms[j].Key
		ai, aerr := strconv.Atoi(a)
		bi, berr := strconv.Atoi(b)
		if aerr == nil && berr == nil {
			return ai < bi
		}
		return a < b
	})
}

// pyTimestampText upper-cases the 'T' and 'Z' of a timestamp written with
// lower-case ones, which the Python library accepts (its strptime matches
// the literal characters of its format case-insensitively).
func pyTimestampText(s string) string {
	if len(s) > 11 && s[10] == 't' {
		s = s[:10] + "T" + s[11:]
	}
	if n := len(s); n > 0 && s[n-1] == 'z' {
		s = s[:n-1] + "Z"
	}
	return s
}

// pyObservedObjects handles the deprecated objects dictionary of a STIX 2.1
// observed-data: the Python library builds each entry as a 2.1 SCO, which
// adds spec_version "2.1" and the deterministic id, and writes it in its
// property order.
func pyObservedObjects(v pyjson.Value, pretty bool) pyjson.Value {
	if v.Kind != pyjson.Object {
		return v
	}
	out := pyjson.ObjectValue()
	for _, m := range v.Obj {
		sco := m.Value
		if t, _ := sco.Get("type"); sco.Kind == pyjson.Object && t.Kind == pyjson.String {
			if _, ok := sco.Get("spec_version"); !ok {
				sco = pyjson.ObjectValue(append([]pyjson.Member(nil), sco.Obj...)...)
				at := 0
				for i, sm := range sco.Obj {
					if sm.Key == "type" {
						at = i + 1
					}
				}
				sco.Obj = append(sco.Obj, pyjson.Member{})
				copy(sco.Obj[at+1:], sco.Obj[at:])
				sco.Obj[at] = pyjson.Member{Key: "spec_version", Value: pyjson.StringValue("2.1")}
			}
			if conv, err := pyTop(sco, pretty); err == nil {
				sco = conv
			}
		}
		out.Obj = append(out.Obj, pyjson.Member{Key: m.Key, Value: sco})
	}
	return out
}
