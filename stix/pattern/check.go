package pattern

import "github.com/stixkit/stixkit/stix"

// CheckOptions selects the rules of [Check]. The zero value applies every
// rule, as the OASIS validator does by default.
type CheckOptions struct {
	// DisallowCustomTypes reports every object type that is not one of the
	// 18 STIX 2.1 Cyber-observable Object types.
	DisallowCustomTypes bool
	// DisallowCustomProperties reports every property of a standard SCO
	// type that STIX 2.1 does not define (rule "custom-property").
	DisallowCustomProperties bool
	// SkipCustomPrefix turns off the strict prefix rule (validator check
	// "custom-prefix", {101}): custom object types "x-<source>-<name>" and
	// custom properties of standard types "x_<source>_<name>". The lax rule
	// still applies unless SkipCustomPrefixLax is also set.
	SkipCustomPrefix bool
	// SkipCustomPrefixLax turns off the lax prefix rule (validator check
	// "custom-prefix-lax", {102}): custom object types "x-…" and custom
	// properties of standard types "x_…".
	SkipCustomPrefixLax bool
	// SkipHashes turns off the check that a string compared with
	// …hashes.<algorithm> has the form of that algorithm's digest.
	SkipHashes bool
	// SkipNames turns off every type and property name rule, leaving the
	// hash rule: Parse plus Check with SkipNames is what the Python stix2
	// library enforces on an indicator's pattern (stix2-patterns'
	// run_validator), while the zero CheckOptions is what the OASIS
	// validator's "patterns" check enforces.
	SkipNames bool
}

// IsSCOType reports whether t is one of the STIX 2.1 Cyber-observable
// Object types. The answer comes from the generated type information
// (stix.Info), the one source the validator and the builder use too.
func IsSCOType(t string) bool {
	info, ok := stix.Info(t)
	return ok && info.Category == "sco"
}

// IsSCOProperty reports whether prop is a property defined by STIX 2.1 for
// the Cyber-observable Object type t (common properties included), from
// the generated type information.
func IsSCOProperty(t, prop string) bool {
	info, ok := stix.Info(t)
	if !ok || info.Category != "sco" {
		return false
	}
	_, ok = info.Property(prop)
	return ok
}

// ValidTypeName reports whether t is a valid STIX object type name: 3 to
// 250 characters of a–z, 0–9 and '-', starting with a letter and ending
// with a letter or digit.
func ValidTypeName(t string) bool {
	if len(t) < 3 || len(t) > 250 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' || c == '-':
			if i == 0 || c == '-' && i == len(t)-1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// validPropertyName reports whether p matches ^[a-z0-9_]{3,250}$, the
// validator's rule for observable property names.
func validPropertyName(p string) bool {
	if len(p) < 3 || len(p) > 250 {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// strictCustom reports whether s matches ^x<sep>.+<sep>.+$.
func strictCustom(s string, sep byte) bool {
	if len(s) < 2 || s[0] != 'x' || s[1] != sep {
		return false
	}
	rest := s[2:]
	// need some index k >= 1 with rest[k] == sep and k < len(rest)-1
	for k := 1; k < len(rest)-1; k++ {
		if rest[k] == sep {
			return true
		}
	}
	return false
}

// laxCustom reports whether s matches ^x<sep>.+$.
func laxCustom(s string, sep byte) bool {
	return len(s) > 2 && s[0] == 'x' && s[1] == sep
}

// Check applies the naming rules of the OASIS validator's "patterns" check
// to every object path of p and returns one [*CheckError] per finding, in
// source order (nil when all pass):
//
//   - the object type must be a valid type name ([ValidTypeName]); with
//     opt.DisallowCustomTypes it must be one of the 18 SCO types;
//   - a custom object type must start with "x-" (see CheckOptions);
//   - the first property must be a defined property of a standard SCO type,
//     or else match ^[a-z0-9_]{3,250}$ and, for standard types, start with
//     "x_" (see CheckOptions); custom types may have any well-formed
//     property names;
//   - a string compared (=, !=, <, <=, >, >=, IN, ISSUBSET, ISSUPERSET) with
//     a path through "hashes" ending in a known algorithm name (MD5, SHA-1,
//     SHA-256, SHA3-256, SSDEEP, …) must have that algorithm's form.
//
// Each path is reported once per rule even when it occurs many times.
func Check(p *Pattern, opt CheckOptions) []error {
	if p == nil {
		return nil
	}
	var errs []error
	type seenKey struct{ typ, prop, rule string }
	var seen map[seenKey]bool
	report := func(c *Comparison, rule, prop, msg string) {
		k := seenKey{c.Path.ObjectType, prop, rule}
		if rule != "hash" {
			if seen[k] {
				return
			}
			if seen == nil {
				seen = map[seenKey]bool{}
			}
			seen[k] = true
		}
		e := &CheckError{Rule: rule, ObjectType: c.Path.ObjectType, Property: prop, Msg: msg}
		if p.src != "" {
			e.Offset = c.Path.Offset
			e.Line, e.Column = position(p.src, c.Path.Offset)
		}
		errs = append(errs, e)
	}
	Walk(p, func(c *Comparison) bool {
		typ := c.Path.ObjectType
		prop := c.Path.Property()
		if !opt.SkipHashes {
			checkHash(c, func(v, algo string) {
				report(c, "hash", prop, "'"+v+"' is not a valid "+algo+" hash")
			})
		}
		if opt.SkipNames {
			return true
		}
		standard := IsSCOType(typ)
		switch {
		case standard:
		case !ValidTypeName(typ):
			report(c, "type-name", "", "'"+typ+"' is not a valid observable type name")
		case opt.DisallowCustomTypes:
			report(c, "custom-type", "", "'"+typ+"' is not a STIX 2.1 Cyber-observable Object type and custom types are not allowed")
		case !opt.SkipCustomPrefix && !strictCustom(typ, '-'):
			report(c, "custom-prefix", "", "Custom Observable Object type '"+typ+"' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name")
		case !opt.SkipCustomPrefixLax && !laxCustom(typ, '-'):
			report(c, "custom-prefix-lax", "", "Custom Observable Object type '"+typ+"' should start with 'x-'")
		}
		switch {
		case standard && IsSCOProperty(typ, prop):
		case !validPropertyName(prop):
			report(c, "property-name", prop, "'"+prop+"' is not a valid observable property name")
		case !standard:
		case opt.DisallowCustomProperties:
			report(c, "custom-property", prop, "'"+prop+"' is not a property of "+typ+" and custom properties are not allowed")
		case !opt.SkipCustomPrefix && !strictCustom(prop, '_'):
			report(c, "custom-prefix", prop, "Cyber Observable Object custom property '"+prop+"' should start with 'x_' followed by a source unique identifier (like a domain name with dots replaced by underscores), an underscore and then the name")
		case !opt.SkipCustomPrefixLax && !laxCustom(prop, '_'):
			report(c, "custom-prefix-lax", prop, "Cyber Observable Object custom property '"+prop+"' should start with 'x_'")
		}
		return true
	})
	return errs
}

// hashForms maps a normalized algorithm name (upper case, no '-') to the
// allowed lengths of its hexadecimal digest (none for SSDEEP).
var hashForms = map[string][]int{
	"MD5":       {32},
	"MD6":       {32, 40, 56, 64, 96, 128},
	"RIPEMD160": {40},
	"SHA1":      {40},
	"SHA224":    {56},
	"SHA256":    {64},
	"SHA384":    {96},
	"SHA512":    {128},
	"SHA3224":   {56},
	"SHA3256":   {64},
	"SHA3384":   {96},
	"SHA3512":   {128},
	"WHIRLPOOL": {128},
	"SSDEEP":    nil,
}

// checkHash calls bad for each string value of c that does not have the
// form of the hash algorithm named by the last step of c's path, when the
// path goes through a "hashes" key.
func checkHash(c *Comparison, bad func(value, algo string)) {
	steps := c.Path.Steps
	if len(steps) < 2 || steps[len(steps)-1].Kind != StepKey {
		return
	}
	through := false
	for _, s := range steps[:len(steps)-1] {
		if s.Kind == StepKey && s.Key == "hashes" {
			through = true
			break
		}
	}
	if !through {
		return
	}
	algo := steps[len(steps)-1].Key
	// Normalize the name (upper case, no '-') without allocating.
	var buf [16]byte
	n := 0
	for i := 0; i < len(algo); i++ {
		ch := algo[i]
		if ch == '-' {
			continue
		}
		if n == len(buf) {
			return // longer than any known name
		}
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		buf[n] = ch
		n++
	}
	lengths, known := hashForms[string(buf[:n])]
	if !known {
		return
	}
	ssdeep := string(buf[:n]) == "SSDEEP"
	ok := func(v string) bool {
		if ssdeep {
			if len(v) < 1 || len(v) > 128 {
				return false
			}
			for i := 0; i < len(v); i++ {
				ch := v[i]
				if !(isBase64Char(ch) || ch == ':' || ch == '.') {
					return false
				}
			}
			return true
		}
		for i := 0; i < len(v); i++ {
			if !isHexDigit(v[i]) {
				return false
			}
		}
		for _, n := range lengths {
			if len(v) == n {
				return true
			}
		}
		return false
	}
	switch c.Op {
	case OpLike, OpMatches, OpExists:
		return
	case OpIn:
		for _, l := range c.Set {
			if l.Kind == StringLit && !ok(l.Text) {
				bad(l.Text, algo)
			}
		}
	default:
		if c.Value.Kind == StringLit && !ok(c.Value.Text) {
			bad(c.Value.Text, algo)
		}
	}
}

// Validate parses s and checks it with opt: it returns the syntax error
// alone, or the findings of [Check], or nil when the pattern is valid.
func Validate(s string, opt CheckOptions) []error {
	p, err := Parse(s)
	if err != nil {
		return []error{err}
	}
	return Check(p, opt)
}
