// Command stixkit reads, writes, validates and ships STIX 2.1 content.
//
// Usage:
//
//	stixkit <command> [flags] [args]
//
// Each command lives in its own file and registers itself in commands.
package main
