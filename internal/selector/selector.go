package selector

import "strings"

// Walker steps into a JSON value of type V: Member returns the member key
// of an object (false when v is not an object or has no such member),
// Index the item i of an array (false when v is not an array or i is out
// of range).
type Walker[V any] struct {
	Member func(v V, key string) (V, bool)
	Index  func(v V, i int) (V, bool)
}

// Resolve follows sel through root and reports whether it designates a
// value; when not, failed is the first step that does not resolve ("" for
// an empty step or an empty selector). A step "[…]" indexes a list and
// must hold decimal digits only; any other step names a property, custom
// ones included.
func Resolve[V any](w Walker[V], root V, sel string) (failed string, ok bool) {
	if sel == "" {
		return "", false
	}
	cur := root
	rest := sel
	for {
		step, tail, more := strings.Cut(rest, ".")
		var found bool
		if len(step) >= 2 && step[0] == '[' && step[len(step)-1] == ']' {
			if n, valid := index(step[1 : len(step)-1]); valid {
				cur, found = w.Index(cur, n)
			}
		} else if step != "" {
			cur, found = w.Member(cur, step)
		}
		if !found {
			return step, false
		}
		if !more {
			return "", true
		}
		rest = tail
	}
}

// index parses the digits of a list step.
func index(digits string) (int, bool) {
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 9 {
		return 1 << 30, true // beyond any list: resolves nowhere
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		n = n*10 + int(digits[i]-'0')
	}
	return n, true
}

// Any walks JSON decoded into map[string]any and []any (encoding/json,
// jsonscan.DecodeAny).
var Any = Walker[any]{
	Member: func(v any, key string) (any, bool) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		x, ok := m[key]
		return x, ok
	},
	Index: func(v any, i int) (any, bool) {
		l, ok := v.([]any)
		if !ok || i < 0 || i >= len(l) {
			return nil, false
		}
		return l[i], true
	},
}
