package helper

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// remoteState reports whether the connector state lives on the platform
// (a registered 6.x connector), kept through the ping.
func (p *protocol6) remoteState() bool { return p != nil && p.api != nil }

// Work is one run of a scheduled 6.x connector: the platform work that
// tracks what the run sends. It is not safe for concurrent use.
type Work struct {
	// ID is the platform's work id, "" in a dry run or with the 1.1 protocol.
	ID string
	h  *Helper
	// Message is reported with to_processed at the end of the run; the
	// default is "Connector run successfully" (or the run's error).
	Message string
}

// Send is Helper.Send with the work's id (so the platform counts the
// pieces as the work's expectations).
func (w *Work) Send(ctx context.Context, bundle any, opt SendOptions) ([][]byte, error) {
	if opt.WorkID == "" {
		opt.WorkID = w.ID
	}
	return w.h.Send(ctx, bundle, opt)
}

// ConnectorID returns the connector's id: the one the platform registered
// (protocol 6), else connector.id; "" with the 1.1 protocol.
func (h *Helper) ConnectorID() string {
	if p := h.proto.platform(); p != nil {
		return p.connectorID
	}
	return ""
}

// API returns the OpenCTI GraphQL client of a registered 6.x connector,
// nil otherwise (1.1 protocol, dry run).
func (h *Helper) API() *APIClient {
	if p := h.proto.platform(); p != nil {
		return p.api
	}
	return nil
}

// ForcePing sends the state to the platform now (pycti's force_ping); it
// does nothing without a registration.
func (h *Helper) ForcePing(ctx context.Context) error {
	if p := h.proto.platform(); p != nil {
		return p.ping(ctx)
	}
	return nil
}

// InitiateWork creates a platform work for this connector (pycti's
// api.work.initiate_work) and returns its id; "" without a registration.
func (h *Helper) InitiateWork(ctx context.Context, friendlyName string) (string, error) {
	api := h.API()
	if api == nil {
		h.log.Debug("no platform: work not initiated", "name", friendlyName)
		return "", nil
	}
	return api.InitiateWork(ctx, h.ConnectorID(), friendlyName)
}

// ScheduleWork runs fn on the connector's schedule with the work
// lifecycle of pycti's external-import template around each run: initiate
// a work, run fn (which sends with Work.Send), then to_processed with the
// run's message, in error when fn failed, and ping the state.
//
// The schedule is connector.duration_period (CONNECTOR_DURATION_PERIOD);
// connector.run_and_terminate or a period of 0 runs once and returns fn's
// error. name is the work's friendly name prefix ("<name> @ <time>").
func (h *Helper) ScheduleWork(ctx context.Context, name string, fn func(ctx context.Context, w *Work) error) error {
	var period time.Duration
	once := false
	if p := h.proto.platform(); p != nil {
		period, once = p.cfg.DurationPeriod, p.cfg.RunAndTerminate
	}
	first := true
	return RunWith(ctx, RunOptions{Interval: period, Once: once, Logger: h.log}, func(ctx context.Context) error {
		// pycti 6.8.10's schedule_process: a run-and-terminate run and
		// every periodic run after the first check the queue first and are
		// skipped while it is over connector.queue_threshold; the first
		// periodic run checks after running.
		oneShot := once || period <= 0
		if (oneShot || !first) && h.Buffering(ctx) {
			first = false
			if oneShot { // pycti pings before terminating all the same
				if err := h.ForcePing(ctx); err != nil && ctx.Err() == nil {
					h.log.Warn("Error pinging the API", "error", err)
				}
			}
			return nil
		}
		err := h.runWork(ctx, name, fn)
		if first && !oneShot {
			h.Buffering(ctx)
		}
		first = false
		return err
	})
}

// Buffering is pycti's check_connector_buffering: it reads the size of the
// connector's queue from the platform and reports whether it is at or over
// connector.queue_threshold (megabytes, 10^6 bytes; default 500), in which
// case a scheduled run is skipped. Without a platform, or when the check
// fails (logged), it reports false, as pycti runs then.
func (h *Helper) Buffering(ctx context.Context) bool {
	p := h.proto.platform()
	if !p.remoteState() {
		return false
	}
	q, err := p.api.ConnectorQueue(ctx, p.connectorID)
	if err != nil {
		h.log.Error("An error occurred while checking the queue size", "error", err)
		return false
	}
	sizeMB := float64(q.SizeBytes) / 1e6
	h.log.Debug("Connector queue details", "queue_threshold", p.cfg.QueueThresholdMB, "messages_number", q.Messages, "queue_messages_size", sizeMB)
	if sizeMB < p.cfg.QueueThresholdMB {
		return false
	}
	h.log.Info("Connector will not run until the queue messages size is reduced under queue threshold", "queue_messages_size_mb", sizeMB, "queue_threshold_mb", p.cfg.QueueThresholdMB)
	return true
}

// runWork is one run of ScheduleWork.
func (h *Helper) runWork(ctx context.Context, name string, fn func(ctx context.Context, w *Work) error) error {
	friendly := fmt.Sprintf("%s @ %s", name, time.Now().UTC().Format("2006-01-02 15:04:05"))
	id, err := h.InitiateWork(ctx, friendly)
	if err != nil {
		return fmt.Errorf("helper: initiating work: %w", err)
	}
	w := &Work{ID: id, h: h}
	runErr := fn(ctx, w)
	if id != "" {
		msg := w.Message
		if runErr != nil {
			msg = runErr.Error()
		} else if msg == "" {
			msg = "Connector run successfully"
		}
		// Report even when ctx was cancelled mid-run.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		perr := h.API().ToProcessed(rctx, id, msg, runErr != nil)
		cancel()
		if perr != nil {
			h.log.Error("cannot report the work processed", "work_id", id, "error", perr)
			runErr = errors.Join(runErr, perr)
		}
	}
	if err := h.ForcePing(ctx); err != nil && ctx.Err() == nil {
		h.log.Warn("Error pinging the API", "error", err)
	}
	return runErr
}
