// Package validate checks third-party STIX 2.1 content: a bundle, a single
// object or a JSON array of objects, of any size.
//
// Three layers run on every object, and their findings are reported
// together, each with the object id, an RFC 6901 JSON pointer inside the
// object and a stable code:
//
//  1. the JSON schema of the object's type (package schemas; codes
//     "schema/<keyword>");
//  2. the MUST rules of the specification the schemas cannot express
//     (codes "must-…"): modified ≥ created and the other time orderings,
//     reference target types, marking cycles, granular-marking selectors,
//     SCO id versions, RFC 5646 language tags, STIX pattern syntax and
//     names (package stix/pattern), TLP marking definitions, and the
//     co-constraints between properties;
//  3. the SHOULD best practices, as warnings carrying the numeric codes of
//     the OASIS validator ("101" custom-prefix, "103" uuid-check, "202"
//     relationship-types, "401" extensions-use…), each switchable by code,
//     name or group; Options.Strict turns them into errors.
//
// Checks across objects run on the whole input: duplicate ids with
// different content (same id and modified), exact duplicates (203), mixed
// spec versions and, with Options.EnforceRefs, references that do not
// resolve inside the input. Checks lists every check.
//
// Malformed input (bad JSON, NaN, duplicate keys, invalid UTF-8, nesting
// deeper than the limit, trailing data) is a finding too ("json" when the
// input cannot be read further, "parse" for one element): a Report comes
// back for any input, and an error only for bad options, a failing reader or
// a cancelled context.
//
// # Streaming and concurrency
//
// [Reader] streams its input through the bundle package's Decoder, so a
// multi-gigabyte bundle validates in memory bounded by the largest object
// (plus a few bytes per object id for the cross-object checks). Objects are
// validated by Options.Workers goroutines (default GOMAXPROCS), handed out
// in small batches; findings come back in input order whatever the number
// of workers. Every function is safe for concurrent use; a Report is not
// shared after it is returned.
//
// The checks read each object in the generic form of encoding/json. Its
// decoding into the stix package's typed model (what is sent when the
// object is used) runs only where it can add a finding: any object with
// an error, repeated members, numbers the typed model may not hold,
// malformed references, SCO id computation, DisallowCustom, and whenever
// a MUST check is off or Options.Schemas is set. Elsewhere it would find
// nothing the checks did not: the package's tests compare the reports of
// both ways on the corpus, on mutations of it and on fuzzed input.
//
// The recipe:
//
//	f, _ := os.Open("bundle.json")
//	rep, err := validate.Reader(ctx, f, validate.Options{})
//	for _, e := range rep.Errors { fmt.Println(e) }
package validate
