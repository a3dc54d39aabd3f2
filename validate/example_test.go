package validate_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// Validate a bundle from any io.Reader and print the findings.
func ExampleReader() {
	const bundle = `{"type": "bundle", "id": "bundle--4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "objects": [
	  {"type": "malware", "spec_version": "2.1", "id": "malware--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
	   "created": "2021-03-04T05:06:07.000Z", "modified": "2021-03-03T05:06:07.000Z",
	   "name": "BadRAT", "is_family": true}]}`
	rep, err := validate.Reader(context.Background(), strings.NewReader(bundle), validate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range rep.Errors {
		fmt.Println(e.Code, e.Pointer)
	}
	fmt.Println("valid:", rep.Valid, "objects:", rep.Objects)
	// Output:
	// must-timestamp-order /modified
	// valid: false objects: 1
}

// Best practices are warnings; Strict makes them errors, and Disable turns
// single checks off by code or name.
func ExampleOptions() {
	const obj = `{"type": "indicator", "spec_version": "2.1", "id": "indicator--1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
	  "created": "2021-03-04T05:06:07.000Z", "modified": "2021-03-04T05:06:07.000Z",
	  "pattern": "[domain-name:value = 'evil.example.com']", "pattern_type": "stix",
	  "valid_from": "2021-03-04T05:06:07.000Z"}`
	for _, opt := range []validate.Options{
		{},
		{Strict: true},
		{Strict: true, Disable: []string{"indicator-properties"}},
	} {
		rep, _ := validate.Bytes(context.Background(), []byte(obj), opt)
		fmt.Println(rep.Valid, len(rep.Errors), len(rep.Warnings))
	}
	// Output:
	// true 0 1
	// false 1 0
	// true 0 0
}

// Validate an object built in Go.
func ExampleObject() {
	id := stix.Identifier("identity--8a4b2f8e-5c3d-4e2a-9b1f-0a1b2c3d4e5f")
	ts := stix.MustTimestamp("2021-03-04T05:06:07.000Z")
	obj := &stix.Identity{SpecVersion: "2.1", ID: id, Created: ts, Modified: ts, Name: "Example Corp", IdentityClass: "organisation"}
	rep, err := validate.Object(obj, validate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range rep.Warnings {
		fmt.Println(w.Code, w.Pointer, w.Message)
	}
	// Output:
	// 213 /identity_class "organisation" is not a value of identity-class-ov
}
