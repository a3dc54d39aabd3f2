package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// JSONDiffInOrder compares two JSON documents as values whose object
// members must also come in the same order: strings compare after
// unescaping, numbers by value (48 equals 48.0). It returns "" when they
// match, else the JSON pointer of the first difference and what differs.
func JSONDiffInOrder(a, b []byte) string {
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	// path holds one entry per open container: the member key or the
	// element index about to be read, and whether it is an object.
	type level struct {
		obj   bool
		key   string
		index int
		atKey bool
	}
	var stack []level
	pointer := func() string {
		var sb strings.Builder
		for _, l := range stack {
			sb.WriteByte('/')
			if l.obj {
				sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(l.key, "~", "~0"), "/", "~1"))
			} else {
				sb.WriteString(strconv.Itoa(l.index))
			}
		}
		return sb.String()
	}
	for {
		ta, ea := da.Token()
		tb, eb := db.Token()
		if ea == io.EOF && eb == io.EOF {
			return ""
		}
		if ea != nil || eb != nil {
			return fmt.Sprintf("%s: decode errors %v / %v", pointer(), ea, eb)
		}
		// Object keys.
		if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].atKey {
			ka, oka := ta.(string)
			kb, okb := tb.(string)
			if oka && okb {
				stack[n-1].key = ka
				if ka != kb {
					return fmt.Sprintf("%s: member %q where %q was expected (order or name differs)", pointer(), kb, ka)
				}
				stack[n-1].atKey = false
				continue
			}
		}
		if !tokenEqual(ta, tb) {
			return fmt.Sprintf("%s: %v where %v was expected", pointer(), describe(tb), describe(ta))
		}
		switch ta {
		case json.Delim('{'):
			stack = append(stack, level{obj: true, atKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, level{index: 0})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: advance the enclosing container.
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].atKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
}

func tokenEqual(a, b json.Token) bool {
	na, oka := a.(json.Number)
	nb, okb := b.(json.Number)
	if oka && okb {
		if na == nb {
			return true
		}
		fa, _, ea := big.ParseFloat(string(na), 10, 1000, big.ToNearestEven)
		fb, _, eb := big.ParseFloat(string(nb), 10, 1000, big.ToNearestEven)
		return ea == nil && eb == nil && fa.Cmp(fb) == 0
	}
	return a == b
}

func describe(t json.Token) string {
	switch v := t.(type) {
	case string:
		return strconv.Quote(v)
	case json.Delim:
		return string(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(t)
}
