// Command validate validates a STIX file with the library API and prints the
// findings: the recipe to copy into a program.
//
//	go run ./examples/validate bundle.json
package main
