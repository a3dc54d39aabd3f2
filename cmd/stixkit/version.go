package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the stixkit version (also: stixkit --version)",
		doc: `The version comes from the build information Go records in the binary:
the module version for 'go install …@version', else "(devel)" with the
version-control revision and time of the checkout it was built from.`,
		run: runVersion,
	})
}

func runVersion(e *env, args []string) int {
	args, ok := e.parse(e.flagSet(), args)
	if !ok {
		return e.code
	}
	if len(args) != 0 {
		return e.usage("takes no arguments")
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	fmt.Fprintln(e.stdout, versionLine(bi))
	return exitOK
}

// versionLine describes the build: "stixkit v1.2.0 (go1.24.2)" or
// "stixkit (devel) 0f4439e1c2d3 2026-12-01T13:00:00Z modified (go1.24.2)".
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "stixkit (unknown version: no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	parts := []string{"stixkit", v}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		// A module version already names the commit (pseudo-versions
		// include it); show the revision for local builds.
		if v == "(devel)" || !strings.Contains(v, rev) {
			parts = append(parts, rev)
		}
		if t := settings["vcs.time"]; t != "" {
			parts = append(parts, t)
		}
		if settings["vcs.modified"] == "true" {
			parts = append(parts, "modified")
		}
	}
	if bi.GoVersion != "" {
		parts = append(parts, "("+bi.GoVersion+")")
	}
	return strings.Join(parts, " ")
}
