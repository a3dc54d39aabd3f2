// Package stix is the STIX 2.1 object model: one Go struct per STIX type
// (generated from the project's JSON schemas into *_gen.go files), with the
// hand-written core they share — Timestamp (keeps its precision),
// Identifier, Hashes, Dict, Extensions, Custom properties — and Parse,
// which dispatches on "type" through a registry users can extend.
//
// Decoding is lossless: decoding then encoding any object gives back the
// same JSON value. Properties the schema does not define (ATT&CK's
// x_mitre_* ones, for example) are kept in each struct's Custom field in
// input order; objects of unknown types decode to *Generic; zero values
// that were present in the input (confidence 0, description "", revoked
// false) are written back, absent ones stay absent. A value of the wrong
// type or form for its property (a bare UUID in created_by_ref, "False" in
// revoked) is kept verbatim, written back at its place and reported: Parse
// returns the object together with a *KeptValuesError
// (DecodeOptions.RefuseInvalid refuses instead).
//
// Marshal (and each type's MarshalJSON) writes the canonical form:
// properties in specification order (the order of the Python stix2
// library), custom properties after them, compact, UTF-8, deterministic.
//
// encoding/json writes and reads the same STIX form for values, pointers,
// fields, slices, maps and interfaces of every type of the package.
//
// The runtime the generated code needs (the reader, the appending
// encoders, presence bookkeeping, the metadata registries) lives in
// package stiximpl, for generated code only.
//
// STIX 2.0 input (objects without spec_version, bundles with one) is
// accepted and kept as it is.
//
// Concurrency: decoded values are plain data; Parse, Marshal and the
// registry functions are safe for concurrent use.
package stix

//go:generate go run ../generate -schemas ../schemas -out . -package stix
