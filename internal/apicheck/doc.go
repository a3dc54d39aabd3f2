// Package apicheck holds a test that no exported API of the module's
// public packages mentions a type of an internal package, which other
// modules could not name.
package apicheck
