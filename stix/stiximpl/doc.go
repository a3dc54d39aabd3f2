// Package stiximpl is the runtime of the code that stixkit/generate writes:
// the one-pass JSON reader generated decoders read from, the appending
// encoders, presence and kept-value bookkeeping, and the schema metadata
// registries. It exists for generated code only (in package stix and in
// packages generated from users' own schemas), the way protobuf-go keeps
// runtime/protoimpl apart from proto; programs use package stix instead.
// Its API follows the generator and may change with it.
package stiximpl
