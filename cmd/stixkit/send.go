package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stixkit/stixkit/helper"
)

func init() {
	register(&command{
		name:    "send",
		summary: "send a STIX bundle to OpenCTI like pycti's send_stix2_bundle (or --dry-run)",
		args:    "BUNDLE|-",
		run:     runSend,
	})
}

func runSend(e *env, args []string) int {
	stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
	fs := e.flagSet()
	configPath := fs.String("config", "", "configuration file (default: config.yml next to the executable, then in the working directory, else environment variables)")
	protocol := fs.String("protocol", "", "wire protocol: 1.1 (pycti 1.2.15) or 6 (pycti 6.x); default chosen by the configuration")
	dryRun := fs.Bool("dry-run", false, "write each would-be publish as a JSON line on stdout instead of publishing")
	entities := fs.String("entities-types", "", "comma-separated STIX types the platform should import (default: all)")
	applicant := fs.String("applicant-id", "", "applicant id (protocol 6, dry run)")
	workID := fs.String("work-id", "", "work id (protocol 6)")
	update := fs.Bool("update", false, "update existing entities (protocol 6)")
	eventVersion := fs.String("event-version", "", "x_opencti_event_version (protocol 6)")
	cleanup := fs.Bool("cleanup-inconsistent-bundle", false, "drop objects with missing references (protocol 6)")
	logLevel := fs.String("log-level", "", "override connector.log_level (debug, info, warning, error)")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	if len(args) != 1 {
		return e.usage("expected one BUNDLE file (or - for standard input)")
	}
	cfg, err := helper.LoadConfig(*configPath)
	if err != nil {
		return e.fail(err)
	}
	if *logLevel != "" {
		cfg.Connector.LogLevel = *logLevel
	}
	level := slog.LevelInfo
	if err := level.UnmarshalText([]byte(strings.Replace(strings.ToLower(cfg.Connector.LogLevel), "warning", "warn", 1))); err != nil {
		level = slog.LevelInfo
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg.DryRun = *dryRun
	cfg.DryRunOutput = stdout
	cfg.Protocol = *protocol

	data, err := readInput(args[0], stdin)
	if err != nil {
		return e.fail(err)
	}
	opt := helper.SendOptions{
		ApplicantID:               *applicant,
		WorkID:                    *workID,
		Update:                    *update,
		EventVersion:              *eventVersion,
		CleanupInconsistentBundle: *cleanup,
	}
	for _, t := range strings.Split(*entities, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opt.EntitiesTypes = append(opt.EntitiesTypes, t)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := helper.New(ctx, cfg)
	if err != nil {
		return e.fail(err)
	}
	pieces, err := h.Send(ctx, data, opt)
	if cerr := h.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return e.fail(err)
	}
	cfg.Logger.Debug("send finished", "pieces", len(pieces))
	return 0
}
