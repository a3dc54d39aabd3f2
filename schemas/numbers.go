package schemas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// gojsonschema compares values with const, enum and uniqueItems through a
// float64 round trip, and dereferences a nil pointer when a number does not
// fit in a float64 (1e400): it panics. tameNumbers returns doc unchanged
// when it holds no such number; otherwise a copy where each is replaced by
// a stand-in of the same sign that fits (huge enough to compare the same way
// with every bound of the embedded schemas), and a replacer that puts the
// original text back into messages.
func tameNumbers(doc any) (any, *strings.Replacer) {
	if !hasWildNumber(doc) {
		return doc, nil
	}
	stand := map[json.Number]json.Number{}
	var pairs []string
	var copyOf func(v any) any
	copyOf = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			m := make(map[string]any, len(v))
			for k, e := range v {
				m[k] = copyOf(e)
			}
			return m
		case []any:
			l := make([]any, len(v))
			for i, e := range v {
				l[i] = copyOf(e)
			}
			return l
		case json.Number:
			if !wild(v) {
				return v
			}
			s, ok := stand[v]
			if !ok {
				sign := ""
				if strings.HasPrefix(string(v), "-") {
					sign = "-"
				}
				// A form no real document is likely to hold, so that the
				// replacer only touches stand-ins.
				s = json.Number(fmt.Sprintf("%s1.%017d1e300", sign, len(stand)))
				stand[v] = s
				pairs = append(pairs, string(s), string(v))
			}
			return s
		}
		return v
	}
	return copyOf(doc), strings.NewReplacer(pairs...)
}

// wild reports a number outside the range of a float64.
func wild(n json.Number) bool {
	_, err := strconv.ParseFloat(string(n), 64)
	return err != nil
}

func hasWildNumber(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			if hasWildNumber(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasWildNumber(e) {
				return true
			}
		}
	case json.Number:
		return wild(v)
	}
	return false
}
