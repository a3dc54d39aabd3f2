package schemas

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Condition is a requirement of an embedded schema that depends on the
// value of another property (a JSON Schema "if"/"then"/"else" whose "if"
// tests one property against a constant): when If equals Value, the
// properties in Required must be present and those in Forbidden absent;
// otherwise those in ElseForbidden must be absent. The builder reads them
// to apply the schemas' rules (malware: name is required when is_family is
// true) without running the schema validator.
type Condition struct {
	If            string
	Value         any // a JSON constant: bool, string or float64
	Required      []string
	Forbidden     []string
	ElseForbidden []string
}

// Holds reports whether the condition's test holds for the object m.
func (c Condition) Holds(m map[string]any) bool {
	v, ok := m[c.If]
	return ok && v == c.Value
}

var conditions = sync.OnceValue(func() map[string][]Condition {
	out := map[string][]Condition{}
	_ = fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		var s struct {
			Title string            `json:"title"`
			AllOf []json.RawMessage `json:"allOf"`
		}
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		typ := s.Title
		if typ == "" {
			typ = strings.TrimSuffix(path.Base(p), ".json")
		}
		for _, raw := range s.AllOf {
			if c, ok := parseCondition(raw); ok {
				out[typ] = append(out[typ], c)
			}
		}
		return nil
	})
	return out
})

type reqSchema struct {
	Required []string `json:"required"`
	Not      *struct {
		Required []string `json:"required"`
	} `json:"not"`
}

func parseCondition(raw json.RawMessage) (Condition, bool) {
	var s struct {
		If *struct {
			Properties map[string]struct {
				Const *json.RawMessage `json:"const"`
			} `json:"properties"`
		} `json:"if"`
		Then *reqSchema `json:"then"`
		Else *reqSchema `json:"else"`
	}
	if json.Unmarshal(raw, &s) != nil || s.If == nil || len(s.If.Properties) != 1 || s.Then == nil {
		return Condition{}, false
	}
	var c Condition
	for name, p := range s.If.Properties {
		if p.Const == nil || json.Unmarshal(*p.Const, &c.Value) != nil {
			return Condition{}, false
		}
		c.If = name
	}
	c.Required = s.Then.Required
	if s.Then.Not != nil {
		c.Forbidden = s.Then.Not.Required
	}
	if s.Else != nil && s.Else.Not != nil {
		c.ElseForbidden = s.Else.Not.Required
	}
	if len(c.Required)+len(c.Forbidden)+len(c.ElseForbidden) == 0 {
		return Condition{}, false
	}
	return c, true
}

// Conditions returns the conditional requirements the embedded schema of
// typ states (see Condition), in schema order.
func Conditions(typ string) []Condition { return conditions()[typ] }

// conditionMessage words the failure of a conditional "not required" rule
// of typ's schema on m, with the property at fault.
func conditionMessage(typ string, m map[string]any) (msg, prop string, ok bool) {
	for _, c := range Conditions(typ) {
		if c.Holds(m) {
			for _, p := range c.Forbidden {
				if _, has := m[p]; has {
					return fmt.Sprintf("%s must not be present when %s is %v", p, c.If, c.Value), p, true
				}
			}
			continue
		}
		for _, p := range c.ElseForbidden {
			if _, has := m[p]; has {
				return fmt.Sprintf("%s must not be present unless %s is %v", p, c.If, c.Value), p, true
			}
		}
	}
	return "", "", false
}
