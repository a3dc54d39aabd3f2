// Command stixkit reads, writes, validates and ships STIX 2.1 content.
//
// Usage:
//
//	stixkit <command> [flags] [args]
//
// Each command lives in its own file and registers itself with register
// from an init function. A command's run function declares its flags on
// e.flagSet() and calls e.parse, which lets flags follow file names, prints
// the help on -h/--help and reports usage errors; the same declarations
// serve `stixkit help CMD` and the completion scripts. Standard output is
// checked: a failed write ends the command with exit status 1. Text from
// the input is printed through escape.
package main
