// Package schemas holds stixkit's own STIX 2.1 JSON schemas and validates STIX
// objects against them.
//
// The schemas (JSON Schema draft-07) are written from the STIX 2.1
// specification and embedded in the binary: see [Files]. They live in five
// folders — common (core properties, common data types, vocabularies,
// embedded types and the meta objects marking-definition, language-content,
// extension-definition and bundle), sdos, sros, observables and extensions
// (one file per predefined SCO extension). Every file's $id is
// [BaseURL] followed by its path, and every $ref is relative, so the set is
// self-contained: nothing is fetched over the network.
//
// # Conventions read by the code generator
//
// Object schemas are an allOf of the shared core (common/core.json, or
// common/cyber-observable-core.json for observables) and one block whose
// properties object lists the type's own properties in the serialization
// order of the Python stix2 library. The core files name the property after
// which type-specific properties are serialized in
// "x-stixkit-specific-after". Meta objects whose order differs from the core
// (marking-definition, language-content, extension-definition, bundle) list
// every property themselves. Reference properties carry
// "x-stixkit-ref-types" (specific types, or the generic words "sdo", "sco",
// "sro"); timestamps with a special precision carry "x-stixkit-timestamp";
// observables carry "x-stixkit-id-contributing". Open vocabularies
// (common/vocabularies.json, "-ov") list their values in examples and are not
// enforced; closed ones ("-enum") are.
//
// # Validation
//
// A [Validator] compiles every schema once and is safe for concurrent use.
// [Validator.ValidateObject] checks one object against the schema of its own
// type; unknown (custom) types fall back to the core schemas, and entries of
// the deprecated observed-data objects dictionary are checked against their
// observable schemas. Findings are [Error] values with the object id, an RFC
// 6901 JSON pointer and a stable code ("schema/<keyword>"). Users add their
// own schemas — for a custom object type, or for the content of an
// extension-definition — through [Options].Extra.
//
// Rules the schemas cannot express (modified ≥ created, reference target
// types, marking cycles, pattern syntax…) are checked by other layers.
package schemas
