// Package testutil holds helpers shared by the project's tests.
package testutil
