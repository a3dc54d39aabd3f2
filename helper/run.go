package helper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// ErrInterrupted is returned by RunWith when a second SIGINT/SIGTERM
// arrived while a run was still going: it returns at once, without waiting
// for the (cancelled) job.
var ErrInterrupted = errors.New("helper: interrupted")

// RunOptions configure RunWith. The zero value runs the job once.
type RunOptions struct {
	// Interval is the time between the start of a run and the next one;
	// 0 runs once.
	Interval time.Duration
	// Once runs the job a single time even with an Interval (pycti's
	// run-and-terminate).
	Once bool
	// AbandonOnSignal cancels a running job at the first SIGINT/SIGTERM.
	// By default the running job finishes (its context stays alive) and a
	// second signal cancels it.
	AbandonOnSignal bool
	// Logger receives the loop's logs; nil discards them.
	Logger *slog.Logger

	signals []os.Signal // test hook; nil means SIGINT and SIGTERM
}

// Run runs job now, then every interval, until ctx ends or the process
// receives SIGINT or SIGTERM; interval 0 runs it once (pycti's
// schedule_process; Helper.ScheduleWork adds the 6.x work lifecycle). See
// RunWith.
func Run(ctx context.Context, interval time.Duration, job func(ctx context.Context) error) error {
	return RunWith(ctx, RunOptions{Interval: interval}, job)
}

// RunWith runs job now and then every opt.Interval. A failing run is logged
// and the loop goes on; in run-once mode (Once, or Interval 0) the job's
// error is returned. On SIGINT/SIGTERM the loop stops after the running job
// finished (or cancels it with AbandonOnSignal) and RunWith returns nil; a
// second signal cancels the job and returns ErrInterrupted at once. When ctx ends RunWith cancels the job
// and returns ctx's error.
func RunWith(ctx context.Context, opt RunOptions, job func(ctx context.Context) error) error {
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	sigs := opt.signals
	if sigs == nil {
		sigs = []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	sigc := make(chan os.Signal, 2)
	signal.Notify(sigc, sigs...)
	defer signal.Stop(sigc)

	stopping := false
	for {
		jobCtx, cancelJob := context.WithCancel(ctx)
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- job(jobCtx) }()
		var err error
	wait:
		for {
			select {
			case err = <-done:
				break wait
			case s := <-sigc:
				if stopping {
					// A second signal: do not wait for the job (it was
					// cancelled); a third one gets the default handling.
					logger.Warn("second signal received, exiting now", "signal", s.String())
					cancelJob()
					signal.Stop(sigc)
					return ErrInterrupted
				}
				if opt.AbandonOnSignal {
					logger.Warn("signal received, abandoning the current run", "signal", s.String())
					cancelJob()
				} else {
					logger.Info("signal received, stopping after the current run", "signal", s.String())
				}
				stopping = true
			}
		}
		cancelJob()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		once := opt.Once || opt.Interval <= 0
		if err != nil {
			if once {
				return err
			}
			if !stopping {
				logger.Error("run failed", "error", err, "duration", time.Since(start).Round(time.Millisecond))
			}
		} else {
			logger.Info("run finished", "duration", time.Since(start).Round(time.Millisecond))
		}
		if once || stopping {
			return nil
		}
		next := time.NewTimer(max(0, opt.Interval-time.Since(start)))
		select {
		case <-ctx.Done():
			next.Stop()
			return ctx.Err()
		case s := <-sigc:
			next.Stop()
			logger.Info("signal received, stopping", "signal", s.String())
			return nil
		case <-next.C:
		}
	}
}

// StateFile is a small JSON document kept on disk between runs, so a
// connector resumes where it stopped (pycti's get_state/set_state).
// Saves are atomic (write to a temporary file, then rename). A StateFile
// is not safe for concurrent Save calls on the same path from several
// processes.
type StateFile struct {
	Path string
}

// Load decodes the state into v and reports whether a state existed.
func (s StateFile) Load(v any) (bool, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("helper: reading state: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("helper: state file %s: %w", s.Path, err)
	}
	return true, nil
}

// Save writes v as the new state.
func (s StateFile) Save(v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("helper: encoding state: %w", err)
	}
	dir := filepath.Dir(s.Path)
	tmp, err := os.CreateTemp(dir, ".state-*.json")
	if err != nil {
		return fmt.Errorf("helper: writing state: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.Path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("helper: writing state: %w", werr)
	}
	return nil
}

// stateFile returns the connector's state file (see Config.StateFile).
func (h *Helper) stateFile() StateFile {
	if h.cfg.StateFile != "" {
		return StateFile{Path: h.cfg.StateFile}
	}
	if p := h.cfg.String("connector.state_file", ""); p != "" {
		return StateFile{Path: p}
	}
	name := h.cfg.Identifier() + ".state.json"
	if dir, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(dir, "stixkit")
		if os.MkdirAll(dir, 0o700) == nil {
			return StateFile{Path: filepath.Join(dir, name)}
		}
	}
	return StateFile{Path: name}
}

// State decodes the connector's saved state into v and reports whether one
// existed (the file is Config.StateFile, else connector.state_file, else
// <user cache dir>/stixkit/<identifier>.state.json).
func (h *Helper) State(v any) (bool, error) {
	if p := h.proto.platform(); p.remoteState() { // 6.x: the state lives on the platform
		return p.loadState(v)
	}
	return h.stateFile().Load(v)
}

// SetState saves v as the connector's state.
func (h *Helper) SetState(v any) error {
	if p := h.proto.platform(); p.remoteState() {
		return p.saveState(v)
	}
	return h.stateFile().Save(v)
}
