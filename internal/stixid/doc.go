// Package stixid checks the form of STIX identifiers and type names; the
// stix package and the generated-code runtime (stix/stiximpl) share it.
package stixid
