package stix

import "strings"

// checkNoCustom implements DecodeOptions.DisallowCustom for a decoded value.
func checkNoCustom(obj Object, index int) error {
	fail := func(id Identifier, i int, pointer, msg string) error {
		return &ParseError{ObjectID: id, Index: i, Pointer: pointer, Msg: msg, Err: ErrCustom}
	}
	if b, ok := obj.(*Bundle); ok {
		for i, o := range b.Objects {
			if b.SpecVersion != "" && specVersionOf(o) == "2.1" {
				return fail(o.ObjectID(), i, "/spec_version", "a 2.1 object in a bundle with spec_version "+b.SpecVersion+" (bundles have no spec_version in STIX 2.1)")
			}
			if err := checkNoCustom(o, i); err != nil {
				return err
			}
		}
		if len(b.Custom) > 0 {
			return fail(b.ID, index, "/"+b.Custom[0].Name, "custom bundle property")
		}
		return nil
	}
	id := obj.ObjectID()
	if _, ok := Info(obj.ObjectType()); !ok {
		return fail(id, index, "", "unknown object type "+obj.ObjectType())
	}
	if c, ok := customOf(obj); ok && len(c) > 0 {
		return fail(id, index, "/"+c[0].Name, "custom property "+c[0].Name)
	}
	if r, ok := obj.(Referrer); ok {
		var err error
		r.EachRef(func(prop string, ref Identifier) {
			if _, known := Info(ref.Type()); !known && err == nil {
				err = fail(id, index, "/"+strings.ReplaceAll(prop, ".", "/"), "reference to the custom type "+ref.Type())
			}
		})
		if err != nil {
			return err
		}
	}
	if x, ok := extensionsOf(obj); ok {
		for _, e := range x {
			if _, known := Info(e.Name); !known && !strings.HasPrefix(e.Name, "extension-definition--") {
				return fail(id, index, "/extensions/"+e.Name, "unknown extension "+e.Name)
			}
		}
	}
	return nil
}

// customOf returns the Custom field of a generated object.
func customOf(obj Object) (Custom, bool) {
	v, err := toValue(obj)
	if err != nil {
		return nil, false
	}
	info, ok := Info(obj.ObjectType())
	if !ok {
		return nil, false
	}
	var c Custom
	for _, m := range v.Obj {
		if _, known := info.Property(m.Key); !known {
			c = append(c, Property{Name: m.Key})
		}
	}
	return c, true
}

func extensionsOf(obj Object) (Extensions, bool) {
	type withExt interface{ Has(string) bool }
	if _, ok := obj.(withExt); !ok {
		return nil, false
	}
	v, err := toValue(obj)
	if err != nil {
		return nil, false
	}
	ev, ok := v.Get("extensions")
	if !ok {
		return nil, false
	}
	var x Extensions
	for _, m := range ev.Obj {
		x = append(x, Extension{Name: m.Key})
	}
	return x, true
}

func specVersionOf(obj Object) string {
	v, err := toValue(obj)
	if err != nil {
		return ""
	}
	sv, _ := v.Get("spec_version")
	return sv.Str
}
