// Command indicators builds a small threat report in Go code — an author
// identity, a TLP marking, indicators with STIX patterns, a malware and the
// relationships between them — and prints the bundle.
//
//	go run ./examples/indicators            # canonical JSON
//	go run ./examples/indicators -style python-pretty
package main
