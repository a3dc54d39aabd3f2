package pyjson

import (
	"math"
	"strconv"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON types. The zero Kind is Null.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "bool", "number", "string", "array", "object"}

// String returns the lower-case JSON name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one JSON value. Only the fields of its Kind are meaningful:
// Bool for Bool; Str for String (the decoded text) and Number (the number
// text as Python json.dumps prints it, e.g. "12", "0.1", "1e+21",
// "Infinity"); Arr for Array; Obj for Object, in member order.
// The zero Value is null.
type Value struct {
	Kind Kind
	Bool bool
	Str  string
	Arr  []Value
	Obj  []Member
}

// Member is one name/value pair of an object.
type Member struct {
	Key   string
	Value Value
}

// NullValue returns the JSON null.
func NullValue() Value { return Value{} }

// BoolValue returns a JSON boolean.
func BoolValue(b bool) Value { return Value{Kind: Bool, Bool: b} }

// StringValue returns a JSON string.
func StringValue(s string) Value { return Value{Kind: String, Str: s} }

// IntValue returns a JSON integer.
func IntValue(i int64) Value { return Value{Kind: Number, Str: strconv.FormatInt(i, 10)} }

// FloatValue returns a JSON number holding the binary64 f, written as Python
// writes a float (see AppendFloat): FloatValue(2) is "2.0".
func FloatValue(f float64) Value { return Value{Kind: Number, Str: string(AppendFloat(nil, f))} }

// ArrayValue returns a JSON array of the given items.
func ArrayValue(items ...Value) Value { return Value{Kind: Array, Arr: items} }

// ObjectValue returns a JSON object with the given members, in order.
func ObjectValue(members ...Member) Value { return Value{Kind: Object, Obj: members} }

// Get returns the value of the member key of an object, and whether it is
// there. It returns false for values that are not objects.
func (v Value) Get(key string) (Value, bool) {
	if v.Kind != Object {
		return Value{}, false
	}
	for i := range v.Obj {
		if v.Obj[i].Key == key {
			return v.Obj[i].Value, true
		}
	}
	return Value{}, false
}

// GetString returns the member key of an object when it is a string.
func (v Value) GetString(key string) (string, bool) {
	m, ok := v.Get(key)
	if !ok || m.Kind != String {
		return "", false
	}
	return m.Str, true
}

// Set replaces the value of member key in place, keeping its position, or
// appends the member when it is absent (Python d[key] = x). A non-object
// receiver becomes an empty object first.
func (v *Value) Set(key string, x Value) {
	if v.Kind != Object {
		*v = Value{Kind: Object}
	}
	for i := range v.Obj {
		if v.Obj[i].Key == key {
			v.Obj[i].Value = x
			return
		}
	}
	v.Obj = append(v.Obj, Member{Key: key, Value: x})
}

// Delete removes member key from an object, keeping the order of the
// others, and reports whether it was there. The member slice is rebuilt, so
// other Values sharing it are not affected.
func (v *Value) Delete(key string) bool {
	if v.Kind != Object {
		return false
	}
	for i := range v.Obj {
		if v.Obj[i].Key == key {
			obj := make([]Member, 0, len(v.Obj)-1)
			obj = append(obj, v.Obj[:i]...)
			v.Obj = append(obj, v.Obj[i+1:]...)
			return true
		}
	}
	return false
}

// Float returns the number as a binary64 and whether v is a number.
// Integers beyond 2^53 are rounded; NaN and ±Infinity are returned as such.
func (v Value) Float() (float64, bool) {
	if v.Kind != Number {
		return 0, false
	}
	switch v.Str {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(v.Str, 64)
	if err != nil && f == 0 {
		return 0, false
	}
	return f, true
}

// IsInt reports whether v is a number written as a Python int (no fraction,
// no exponent).
func (v Value) IsInt() bool {
	if v.Kind != Number || v.Str == "" {
		return false
	}
	for i := 0; i < len(v.Str); i++ {
		c := v.Str[i]
		if (c < '0' || c > '9') && !(i == 0 && c == '-') {
			return false
		}
	}
	return true
}

// Equal reports whether v and w are the same JSON value: same kind, same
// text for strings and numbers, same items, same members in the same order.
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case Null:
		return true
	case Bool:
		return v.Bool == w.Bool
	case Number, String:
		return v.Str == w.Str
	case Array:
		if len(v.Arr) != len(w.Arr) {
			return false
		}
		for i := range v.Arr {
			if !v.Arr[i].Equal(w.Arr[i]) {
				return false
			}
		}
		return true
	default:
		if len(v.Obj) != len(w.Obj) {
			return false
		}
		for i := range v.Obj {
			if v.Obj[i].Key != w.Obj[i].Key || !v.Obj[i].Value.Equal(w.Obj[i].Value) {
				return false
			}
		}
		return true
	}
}
