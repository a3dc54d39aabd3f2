package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/stixkit/stixkit/helper"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// checkJSON refuses input that is not JSON before the helper sees it, with
// the file and line:column. encoding/json answers fast for the usual
// input; what it refuses is parsed again as Python's json.loads would
// (which also takes NaN and Infinity), so send accepts what pycti accepts.
func checkJSON(name string, data []byte) error {
	if json.Valid(data) {
		return nil
	}
	_, err := pyjson.Parse(data, pyjson.ParseOptions{})
	var se *pyjson.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, min(se.Offset, len(data)))
		return fmt.Errorf("%s:%d:%d: not JSON: %s", displayName(name), line, col, se.Msg)
	}
	if err != nil {
		return fmt.Errorf("%s: not JSON: %s", displayName(name), cleanMessage(err.Error()))
	}
	return nil
}

// sendError names the input file in errors about the bundle.
func sendError(name string, err error) error {
	var be *helper.BundleError
	if errors.As(err, &be) {
		return fmt.Errorf("%s: %s", displayName(name), cleanMessage(err.Error()))
	}
	return cleanError(err)
}

// cleanError is err without Go package prefixes in its message.
func cleanError(err error) error {
	var we *writeError
	if errors.As(err, &we) {
		return err
	}
	return errors.New(cleanMessage(err.Error()))
}

// cliLogHandler drops the helper's log record for a bundle it cannot split:
// send reports that error itself, once, naming the file.
type cliLogHandler struct{ slog.Handler }

// Handle passes every other record on.
func (h cliLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError && r.Message == "Unable to split the bundle" {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the filter on derived loggers.
func (h cliLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return cliLogHandler{h.Handler.WithAttrs(as)}
}

// WithGroup keeps the filter on derived loggers.
func (h cliLogHandler) WithGroup(name string) slog.Handler {
	return cliLogHandler{h.Handler.WithGroup(name)}
}
