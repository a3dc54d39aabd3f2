package schemas

import (
	"encoding/json"
	"fmt"
	"math/big"
	"path"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
)

// The fast path: a boolean check compiled from the embedded schemas that
// decides, without allocating findings, whether an object is valid. It is
// used only to skip gojsonschema when the object is proven valid; when the
// check finds a problem or cannot decide, gojsonschema runs as before and
// produces the findings. So findings and messages come from gojsonschema
// alone, and the fast path must only be sound: it says "valid" only where
// gojsonschema (draft 7, as it implements it) finds nothing.
//
// A schema using a keyword or form the fast path does not implement gets no
// fast check at all (every object of its type goes to gojsonschema).

// fastVerdict is a three-valued result: the fast check may not decide.
type fastVerdict int8

const (
	vNo fastVerdict = iota
	vYes
	vUnknown
)

type typeSet uint8

const (
	tNull typeSet = 1 << iota
	tBool
	tString
	tNumber
	tInteger
	tArray
	tObject
)

// fnode is one compiled (sub)schema.
type fnode struct {
	pass  *bool  // a boolean schema
	ref   *fnode // $ref: the other keywords are ignored (as gojsonschema does)
	types typeSet

	allOf, anyOf, oneOf []*fnode
	not, ifS, thenS     *fnode
	elseS               *fnode
	depKeys             map[string][]string
	depSchemas          map[string]*fnode

	required     []string
	props        map[string]*fnode
	patProps     []patProp
	addlFalse    bool
	addl         *fnode
	propNames    *fnode
	minProps     int
	maxProps     int
	items        *fnode
	minItems     int
	maxItems     int
	minLen       int
	maxLen       int
	pattern      *regexp.Regexp
	match        func(string) bool // pattern's hand-written equivalent
	format       string
	constStr     *string
	constBool    *bool
	enum         []string
	minimum      *big.Rat
	maximum      *big.Rat
	hasNumChecks bool
}

type patProp struct {
	re *regexp.Regexp
	s  *fnode
}

// fastCompiler compiles the embedded schema files into fnodes.
type fastCompiler struct {
	docs  map[string]any    // file path → decoded schema
	nodes map[string]*fnode // "path#pointer" → node (also while compiling: refs may be cyclic)
	// shared: nodes is kept across roots; failed: some node did not
	// compile (a node of a cycle may then hold a half-compiled one).
	shared, failed bool
	// patterns: each pattern's regexp and matcher, compiled once.
	patterns map[string]compiledPattern
}

type compiledPattern struct {
	re    *regexp.Regexp
	match func(string) bool
}

var errUnsupported = fmt.Errorf("schemas: not supported by the fast path")

func newFastCompiler(files []schemaFile) (*fastCompiler, error) {
	c := &fastCompiler{docs: map[string]any{}, nodes: map[string]*fnode{}}
	for _, f := range files {
		d := json.NewDecoder(strings.NewReader(string(f.data)))
		d.UseNumber()
		var doc any
		if err := d.Decode(&doc); err != nil {
			return nil, err
		}
		c.docs[f.path] = doc
	}
	return c, nil
}

// file compiles the root of one file; nil when it uses anything the fast
// path does not implement.
func (c *fastCompiler) file(p string) *fnode {
	if !c.shared {
		// A fresh node cache per root: a failure anywhere below the
		// root (a node of a reference cycle included) then makes the
		// root fail too.
		c.nodes = map[string]*fnode{}
	}
	n, err := c.at(p, "")
	if err != nil {
		return nil
	}
	return n
}

// files compiles the roots of the given files (nil for those the fast path
// cannot check). The nodes are shared across the files when everything
// compiles; otherwise each root is compiled on its own.
func (c *fastCompiler) files(paths []string) []*fnode {
	out := make([]*fnode, len(paths))
	c.shared, c.failed, c.nodes = true, false, map[string]*fnode{}
	for i, p := range paths {
		out[i] = c.file(p)
	}
	if !c.failed {
		return out
	}
	c.shared = false
	for i, p := range paths {
		out[i] = c.file(p)
	}
	return out
}

func (c *fastCompiler) at(file, frag string) (*fnode, error) {
	key := file + "#" + frag
	if n, ok := c.nodes[key]; ok {
		if n == nil {
			return nil, errUnsupported
		}
		return n, nil
	}
	doc, ok := c.docs[file]
	if !ok {
		return nil, errUnsupported
	}
	if frag != "" {
		parts := strings.Split(strings.TrimPrefix(frag, "/"), "/")
		for _, p := range parts {
			m, ok := doc.(map[string]any)
			if !ok || strings.ContainsAny(p, "~%") {
				return nil, errUnsupported
			}
			if doc, ok = m[p]; !ok {
				return nil, errUnsupported
			}
		}
	}
	n := &fnode{}
	c.nodes[key] = n // before compiling: a cycle finds it
	if err := c.compile(n, file, doc, frag == ""); err != nil {
		c.nodes[key] = nil
		c.failed = true
		return nil, err
	}
	return n, nil
}

func (c *fastCompiler) sub(file string, v any) (*fnode, error) {
	n := &fnode{}
	if err := c.compile(n, file, v, false); err != nil {
		c.failed = true
		return nil, err
	}
	return n, nil
}

func (c *fastCompiler) subList(file string, v any) ([]*fnode, error) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return nil, errUnsupported
	}
	out := make([]*fnode, len(l))
	for i, e := range l {
		n, err := c.sub(file, e)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func nonNegInt(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, errUnsupported
	}
	i, err := n.Int64()
	if err != nil || i < 0 || i > 1<<30 {
		return 0, errUnsupported
	}
	return int(i), nil
}

func (c *fastCompiler) compile(n *fnode, file string, v any, root bool) error {
	n.minProps, n.maxProps, n.minItems, n.maxItems, n.minLen, n.maxLen = -1, -1, -1, -1, -1, -1
	if b, ok := v.(bool); ok {
		n.pass = &b
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return errUnsupported
	}
	if r, ok := m["$ref"]; ok {
		s, ok := r.(string)
		if !ok {
			return errUnsupported
		}
		target, frag, _ := strings.Cut(s, "#")
		tfile := file
		if target != "" {
			if strings.Contains(target, ":") {
				return errUnsupported
			}
			tfile = path.Join(path.Dir(file), target)
		}
		rn, err := c.at(tfile, frag)
		if err != nil {
			return err
		}
		n.ref = rn
		return nil
	}
	if id, ok := m["$id"]; ok && !root {
		_ = id
		return errUnsupported // a base change: not handled
	}
	var err error
	for k, val := range m {
		switch k {
		case "$schema", "$id", "title", "description", "examples", "default", "$comment", "definitions":
		case "type":
			switch t := val.(type) {
			case string:
				err = n.addType(t)
			case []any:
				for _, e := range t {
					s, ok := e.(string)
					if !ok {
						return errUnsupported
					}
					if err = n.addType(s); err != nil {
						return err
					}
				}
			default:
				return errUnsupported
			}
		case "allOf":
			n.allOf, err = c.subList(file, val)
		case "anyOf":
			n.anyOf, err = c.subList(file, val)
		case "oneOf":
			n.oneOf, err = c.subList(file, val)
		case "not":
			n.not, err = c.sub(file, val)
		case "if":
			n.ifS, err = c.sub(file, val)
		case "then":
			n.thenS, err = c.sub(file, val)
		case "else":
			n.elseS, err = c.sub(file, val)
		case "dependencies":
			dm, ok := val.(map[string]any)
			if !ok {
				return errUnsupported
			}
			for dk, dv := range dm {
				switch d := dv.(type) {
				case []any:
					var keys []string
					for _, e := range d {
						s, ok := e.(string)
						if !ok {
							return errUnsupported
						}
						keys = append(keys, s)
					}
					if n.depKeys == nil {
						n.depKeys = map[string][]string{}
					}
					n.depKeys[dk] = keys
				default:
					ds, err := c.sub(file, d)
					if err != nil {
						return err
					}
					if n.depSchemas == nil {
						n.depSchemas = map[string]*fnode{}
					}
					n.depSchemas[dk] = ds
				}
			}
		case "required":
			l, ok := val.([]any)
			if !ok {
				return errUnsupported
			}
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return errUnsupported
				}
				n.required = append(n.required, s)
			}
		case "properties":
			pm, ok := val.(map[string]any)
			if !ok {
				return errUnsupported
			}
			n.props = make(map[string]*fnode, len(pm))
			for pk, pv := range pm {
				if n.props[pk], err = c.sub(file, pv); err != nil {
					return err
				}
			}
		case "patternProperties":
			pm, ok := val.(map[string]any)
			if !ok {
				return errUnsupported
			}
			for pk, pv := range pm {
				re, err := regexp.Compile(pk)
				if err != nil {
					return errUnsupported
				}
				s, err := c.sub(file, pv)
				if err != nil {
					return err
				}
				n.patProps = append(n.patProps, patProp{re, s})
			}
		case "additionalProperties":
			if b, ok := val.(bool); ok {
				n.addlFalse = !b
			} else {
				n.addl, err = c.sub(file, val)
			}
		case "propertyNames":
			n.propNames, err = c.sub(file, val)
		case "minProperties":
			n.minProps, err = nonNegInt(val)
		case "maxProperties":
			n.maxProps, err = nonNegInt(val)
		case "items":
			if _, ok := val.([]any); ok {
				return errUnsupported
			}
			n.items, err = c.sub(file, val)
		case "minItems":
			n.minItems, err = nonNegInt(val)
		case "maxItems":
			n.maxItems, err = nonNegInt(val)
		case "minLength":
			n.minLen, err = nonNegInt(val)
		case "maxLength":
			n.maxLen, err = nonNegInt(val)
		case "pattern":
			s, ok := val.(string)
			if !ok {
				return errUnsupported
			}
			cp, ok := c.patterns[s]
			if !ok {
				if cp.re, err = regexp.Compile(s); err != nil {
					return errUnsupported
				}
				if cp.match = patternFuncs[s]; cp.match == nil {
					cp.match = prefixMatcher(s)
				}
				if c.patterns == nil {
					c.patterns = map[string]compiledPattern{}
				}
				c.patterns[s] = cp
			}
			n.pattern, n.match = cp.re, cp.match
		case "format":
			s, ok := val.(string)
			if !ok {
				return errUnsupported
			}
			n.format = s
		case "const":
			switch cv := val.(type) {
			case string:
				n.constStr = &cv
			case bool:
				n.constBool = &cv
			default:
				return errUnsupported
			}
		case "enum":
			l, ok := val.([]any)
			if !ok || len(l) == 0 {
				return errUnsupported
			}
			for _, e := range l {
				s, ok := e.(string)
				if !ok || !utf8.ValidString(s) {
					return errUnsupported
				}
				n.enum = append(n.enum, s)
			}
		case "minimum", "maximum":
			num, ok := val.(json.Number)
			if !ok {
				return errUnsupported
			}
			r, ok := new(big.Rat).SetString(string(num))
			if !ok {
				return errUnsupported
			}
			if k == "minimum" {
				n.minimum = r
			} else {
				n.maximum = r
			}
			n.hasNumChecks = true
		default:
			if strings.HasPrefix(k, "x-") {
				break // an annotation of ours: gojsonschema ignores it
			}
			return fmt.Errorf("%w: keyword %s", errUnsupported, k)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %v", errUnsupported, k, err)
		}
	}
	if n.constStr != nil && !utf8.ValidString(*n.constStr) {
		return errUnsupported
	}
	return nil
}

func (n *fnode) addType(t string) error {
	switch t {
	case "null":
		n.types |= tNull
	case "boolean":
		n.types |= tBool
	case "string":
		n.types |= tString
	case "number":
		n.types |= tNumber
	case "integer":
		n.types |= tInteger
	case "array":
		n.types |= tArray
	case "object":
		n.types |= tObject
	default:
		return errUnsupported
	}
	return nil
}

// check decides whether v is valid against n: vYes only when gojsonschema
// would find nothing.
func (n *fnode) check(v any) fastVerdict {
	if n.pass != nil {
		if *n.pass {
			return vYes
		}
		return vNo
	}
	if n.ref != nil {
		return n.ref.check(v)
	}
	res := vYes
	// type
	switch x := v.(type) {
	case nil:
		if n.types != 0 && n.types&tNull == 0 {
			return vNo
		}
		if n.constStr != nil || n.constBool != nil || len(n.enum) > 0 {
			return vNo
		}
	case bool:
		if n.types != 0 && n.types&tBool == 0 {
			return vNo
		}
		if n.constStr != nil || len(n.enum) > 0 {
			return vNo
		}
		if n.constBool != nil && *n.constBool != x {
			return vNo
		}
	case string:
		if n.types != 0 && n.types&tString == 0 {
			return vNo
		}
		if r := n.checkString(x); r != vYes {
			return r
		}
	case json.Number:
		if n.format != "" || n.constBool != nil {
			return vUnknown
		}
		rat, ok := new(big.Rat).SetString(string(x))
		if !ok {
			return vUnknown
		}
		if n.types != 0 && n.types&tNumber == 0 && !(n.types&tInteger != 0 && rat.IsInt()) {
			return vNo
		}
		if n.minimum != nil && rat.Cmp(n.minimum) < 0 {
			return vNo
		}
		if n.maximum != nil && rat.Cmp(n.maximum) > 0 {
			return vNo
		}
		if n.constStr != nil || len(n.enum) > 0 {
			return vNo
		}
	case []any:
		if n.types != 0 && n.types&tArray == 0 {
			return vNo
		}
		if n.constStr != nil || n.constBool != nil || len(n.enum) > 0 {
			return vNo
		}
		if n.minItems >= 0 && len(x) < n.minItems || n.maxItems >= 0 && len(x) > n.maxItems {
			return vNo
		}
		if n.items != nil {
			for _, e := range x {
				switch n.items.check(e) {
				case vNo:
					return vNo
				case vUnknown:
					res = vUnknown
				}
			}
		}
	case map[string]any:
		if n.types != 0 && n.types&tObject == 0 {
			return vNo
		}
		if n.constStr != nil || n.constBool != nil || len(n.enum) > 0 {
			return vNo
		}
		if r := n.checkObject(x); r == vNo {
			return vNo
		} else if r == vUnknown {
			res = vUnknown
		}
	default:
		return vUnknown
	}
	// Combinators (gojsonschema's validateSchema).
	for _, s := range n.allOf {
		switch s.check(v) {
		case vNo:
			return vNo
		case vUnknown:
			res = vUnknown
		}
	}
	if len(n.anyOf) > 0 {
		r := vNo
		for _, s := range n.anyOf {
			sr := s.check(v)
			if sr == vYes {
				r = vYes
				break
			}
			if sr == vUnknown {
				r = vUnknown
			}
		}
		if r == vNo {
			return vNo
		}
		if r == vUnknown {
			res = vUnknown
		}
	}
	if len(n.oneOf) > 0 {
		yes, unk := 0, 0
		for _, s := range n.oneOf {
			switch s.check(v) {
			case vYes:
				yes++
			case vUnknown:
				unk++
			}
		}
		switch {
		case yes > 1:
			return vNo
		case unk > 0:
			res = vUnknown
		case yes == 0:
			return vNo
		}
	}
	if n.not != nil {
		switch n.not.check(v) {
		case vYes:
			return vNo
		case vUnknown:
			res = vUnknown
		}
	}
	if m, ok := v.(map[string]any); ok {
		for k, keys := range n.depKeys {
			if _, has := m[k]; !has {
				continue
			}
			for _, d := range keys {
				if _, has := m[d]; !has {
					return vNo
				}
			}
		}
		for k, s := range n.depSchemas {
			if _, has := m[k]; !has {
				continue
			}
			switch s.check(v) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
	}
	if n.ifS != nil {
		var branch *fnode
		switch n.ifS.check(v) {
		case vYes:
			branch = n.thenS
		case vNo:
			branch = n.elseS
		default:
			return vUnknown
		}
		if branch != nil {
			switch branch.check(v) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
	}
	return res
}

// checkKey is check for a string (a property name) without boxing it
// into an interface when n has no combinators.
func (n *fnode) checkKey(s string) fastVerdict {
	for n.ref != nil && n.pass == nil {
		n = n.ref
	}
	if n.pass != nil || len(n.allOf) > 0 || len(n.anyOf) > 0 || len(n.oneOf) > 0 || n.not != nil || n.ifS != nil ||
		len(n.depKeys) > 0 || len(n.depSchemas) > 0 {
		return n.check(s)
	}
	if n.types != 0 && n.types&tString == 0 {
		return vNo
	}
	return n.checkString(s)
}

func (n *fnode) checkString(s string) fastVerdict {
	if n.minLen >= 0 && utf8.RuneCountInString(s) < n.minLen {
		return vNo
	}
	if n.maxLen >= 0 && utf8.RuneCountInString(s) > n.maxLen {
		return vNo
	}
	if n.match != nil {
		if !n.match(s) {
			return vNo
		}
	} else if n.pattern != nil && !n.pattern.MatchString(s) {
		return vNo
	}
	if n.format != "" && !gojsonschema.FormatCheckers.IsFormat(n.format, s) {
		return vNo
	}
	if n.constBool != nil {
		return vNo
	}
	if n.constStr != nil || len(n.enum) > 0 {
		// gojsonschema compares the JSON encodings: for valid UTF-8
		// that is comparing the strings.
		if !utf8.ValidString(s) {
			return vUnknown
		}
		if n.constStr != nil && s != *n.constStr {
			return vNo
		}
		if len(n.enum) > 0 {
			found := false
			for _, e := range n.enum {
				if e == s {
					found = true
					break
				}
			}
			if !found {
				return vNo
			}
		}
	}
	return vYes
}

func (n *fnode) checkObject(m map[string]any) fastVerdict {
	if n.minProps >= 0 && len(m) < n.minProps || n.maxProps >= 0 && len(m) > n.maxProps {
		return vNo
	}
	for _, r := range n.required {
		if _, ok := m[r]; !ok {
			return vNo
		}
	}
	res := vYes
	for k, val := range m {
		if n.propNames != nil {
			switch n.propNames.checkKey(k) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
		s, found := n.props[k]
		if found {
			switch s.check(val) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
		matched := false
		for _, pp := range n.patProps {
			if !pp.re.MatchString(k) {
				continue
			}
			matched = true
			switch pp.s.check(val) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
		if found || matched {
			continue
		}
		if n.addlFalse {
			return vNo
		}
		if n.addl != nil {
			switch n.addl.check(val) {
			case vNo:
				return vNo
			case vUnknown:
				res = vUnknown
			}
		}
	}
	return res
}

// patternFuncs are hand-written equivalents of the patterns the embedded
// schemas check most often (every property name, every identifier), which
// Go's regexp matches by backtracking. TestPatternFuncs compares them with
// the regular expressions.
var patternFuncs = map[string]func(string) bool{
	`^([a-z][a-z0-9_][a-z0-9_]+|id)$`: isPropertyName,
	`^[a-z][a-z0-9]*(-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`: isIdentifier,
	`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?Z$`:      isTimestampForm,
	`^[0-9-]+T[0-9:]+\.[0-9]{3,}Z$`:           isMillisForm,
	`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`:           isTypeNameForm,
	`^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$`: isRelationshipTypeForm,
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isTypeNameForm: a lower-case letter, then lower-case letters and digits
// in runs joined by single hyphens.
func isTypeNameForm(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case isLowerAlnum(c):
		case c == '-' && i+1 < len(s) && isLowerAlnum(s[i+1]):
		default:
			return false
		}
	}
	return true
}

// isRelationshipTypeForm: lower-case letters, digits and hyphens, neither
// starting nor ending with a hyphen.
func isRelationshipTypeForm(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// prefixMatcher returns a matcher for a pattern that only says "starts
// with this text" (such as ^(identity)--), or nil.
func prefixMatcher(pattern string) func(string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	var parts []*syntax.Regexp
	var flatten func(r *syntax.Regexp) bool
	flatten = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpCapture:
			return flatten(r.Sub[0])
		case syntax.OpConcat:
			for _, sub := range r.Sub {
				if !flatten(sub) {
					return false
				}
			}
			return true
		case syntax.OpBeginText, syntax.OpLiteral:
			parts = append(parts, r)
			return true
		}
		return false
	}
	if !flatten(re) || len(parts) < 2 || parts[0].Op != syntax.OpBeginText {
		return nil
	}
	var prefix []rune
	for _, p := range parts[1:] {
		if p.Op != syntax.OpLiteral || p.Flags&syntax.FoldCase != 0 {
			return nil
		}
		prefix = append(prefix, p.Rune...)
	}
	lit := string(prefix)
	for i := 0; i < len(lit); i++ {
		if lit[i] >= utf8.RuneSelf {
			return nil // ASCII only: then bytes and runes agree on invalid UTF-8
		}
	}
	return func(s string) bool { return strings.HasPrefix(s, lit) }
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isTimestampForm: YYYY-MM-DDTHH:MM:SS[.fraction]Z with the month 01-12,
// the day 01-31, the hour 00-23, the minute 00-59 and the second 00-60.
func isTimestampForm(s string) bool {
	if len(s) < 20 {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if !isDigit(s[i]) {
			return false
		}
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return false
	}
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	if m := two(5); m < 1 || m > 12 {
		return false
	}
	if d := two(8); d < 1 || d > 31 {
		return false
	}
	if two(11) > 23 || two(14) > 59 || two(17) > 60 {
		return false
	}
	rest := s[19:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	return rest == "Z"
}

// isMillisForm: digits and hyphens, "T", digits and colons, ".", three or
// more digits, "Z".
func isMillisForm(s string) bool {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '-') {
		i++
	}
	if i == 0 || i == len(s) || s[i] != 'T' {
		return false
	}
	i++
	j := i
	for j < len(s) && (isDigit(s[j]) || s[j] == ':') {
		j++
	}
	if j == i || j == len(s) || s[j] != '.' {
		return false
	}
	j++
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	return k-j >= 3 && k == len(s)-1 && s[k] == 'Z'
}

func isPropertyName(s string) bool {
	if s == "id" {
		return true
	}
	if len(s) < 3 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isIdentifier: a type of lower-case letters and digits in groups joined
// by single hyphens, starting with a letter, then "--" and a UUID whose
// variant digit is 8, 9, a or b.
func isIdentifier(s string) bool {
	i := strings.Index(s, "--")
	if i < 1 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	// The type: no "--" in it (i is the first), so every hyphen is
	// single; it cannot end with one either (that would make an earlier
	// "--").
	for j := 1; j < i; j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	u := s[i+2:]
	if len(u) != 36 {
		return false
	}
	for j := 0; j < 36; j++ {
		c := u[j]
		switch j {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		case 19:
			if !(c == '8' || c == '9' || c == 'a' || c == 'b' || c == 'A' || c == 'B') {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
