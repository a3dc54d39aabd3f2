// Command generate writes Go types from STIX JSON schemas.
//
//	go run ./generate -schemas schemas -out stix -package stix
//
// It is what `go generate ./...` runs for package stix, and what
// `stixkit gen` exposes for users' own schemas.
package main
