package schemas_test

import (
	"fmt"
	"testing/fstest"

	"github.com/stixkit/stixkit/schemas"
)

func ExampleValidator_ValidateObject() {
	obj := []byte(`{
		"type": "indicator",
		"spec_version": "2.1",
		"id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		"created": "2016-04-06T20:03:48.000Z",
		"modified": "2016-04-06T20:03:48.000Z",
		"pattern": "[ipv4-addr:value = '198.51.100.1']",
		"valid_from": "2016-01-01T00:00:00Z",
		"confidence": 120
	}`)
	errs, err := schemas.Default().ValidateObject(obj)
	if err != nil {
		fmt.Println("not a JSON object:", err)
		return
	}
	for _, e := range errs {
		fmt.Println(e.Pointer, e.Code)
	}
	// Output:
	// /confidence schema/maximum
	// /pattern_type schema/required
}

func ExampleNew() {
	// A schema for a custom object type, keyed by its title; it builds on
	// the embedded core schema through a relative $ref.
	extra := fstest.MapFS{"x-acme-widget.json": {Data: []byte(`{
		"title": "x-acme-widget",
		"type": "object",
		"allOf": [
			{"$ref": "../common/core.json"},
			{"properties": {"size": {"type": "integer", "minimum": 1}}, "required": ["size"]}
		]
	}`)}}
	v, err := schemas.New(schemas.Options{Extra: extra})
	if err != nil {
		fmt.Println(err)
		return
	}
	errs, _ := v.ValidateObject([]byte(`{"type": "x-acme-widget", "spec_version": "2.1",
		"id": "x-acme-widget--2f4a6c8e-1b3d-4f5a-9c7e-0d2b4f6a8c1e",
		"created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z"}`))
	for _, e := range errs {
		fmt.Println(e)
	}
	// Output:
	// x-acme-widget--2f4a6c8e-1b3d-4f5a-9c7e-0d2b4f6a8c1e /size: size is required [schema/required]
}
