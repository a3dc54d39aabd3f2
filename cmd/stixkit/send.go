package main

import (
	"context"
	"encoding/json"
	"flag"
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
	configPath := fs.String("config", "", "configuration `FILE` (default: config.yml next to the executable, then in the working directory, else environment variables)")
	protocol := fs.String("protocol", "", "wire protocol: 1.1 (pycti 1.2.15) or 6 (pycti 6.x); default chosen by the configuration")
	dryRun := fs.Bool("dry-run", false, "write each would-be publish as a JSON line on stdout instead of publishing")
	entities := fs.String("entities-types", "", "comma-separated STIX types the platform should import, sent as a list (pycti's entities_types=[...]); default: all")
	entitiesString := fs.String("entities-types-string", "", "send entities_types as this `TEXT`, as pycti does when a connector passes a string (entities_types=\"Report,Indicator\")")
	draftID := fs.String("draft-id", "", "draft `ID`: import into this draft (protocol 6)")
	maxAttempts := fs.Int("max-attempts", 0, "give up after `N` failed broker attempts without progress (default: connector.retry_max_attempts, else 5 for send)")
	maxBackoff := fs.Duration("max-backoff", 0, "longest `DURATION` between broker attempts (default: connector.retry_max_backoff, else 30s)")
	applicant := fs.String("applicant-id", "", "applicant id (protocol 6, dry run)")
	workID := fs.String("work-id", "", "work id (protocol 6)")
	update := fs.Bool("update", false, "update existing entities (protocol 6)")
	eventVersion := fs.String("event-version", "", "x_opencti_event_version written into every piece (protocol 6); unset leaves it out, --event-version '' writes \"\" as pycti does for event_version=\"\"")
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
		return e.fail(cleanError(err))
	}
	if *logLevel != "" {
		cfg.Connector.LogLevel = *logLevel
	}
	level := slog.LevelInfo
	if err := level.UnmarshalText([]byte(strings.Replace(strings.ToLower(cfg.Connector.LogLevel), "warning", "warn", 1))); err != nil {
		level = slog.LevelInfo
	}
	cfg.Logger = slog.New(cliLogHandler{slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})})
	cfg.DryRun = *dryRun
	cfg.DryRunOutput = stdout
	cfg.Protocol = helper.Protocol(*protocol)
	cfg.OneShot = true
	if *maxAttempts < 0 || *maxBackoff < 0 {
		return e.usage("--max-attempts and --max-backoff must not be negative")
	}
	if *maxAttempts > 0 {
		cfg.Retry.MaxAttempts = *maxAttempts
	}
	if *maxBackoff > 0 {
		cfg.Retry.MaxBackoff = *maxBackoff
	}

	data, err := readInput(args[0], stdin)
	if err != nil {
		return e.fail(err)
	}
	if err := checkJSON(args[0], data); err != nil {
		return e.fail(err)
	}
	opt := helper.SendOptions{
		ApplicantID:               *applicant,
		WorkID:                    *workID,
		Update:                    *update,
		DraftID:                   *draftID,
		CleanupInconsistentBundle: *cleanup,
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["event-version"] { // "" is a value (pycti writes it); unset is None
		opt.EventVersion = eventVersion
	}
	if set["entities-types-string"] {
		if set["entities-types"] {
			return e.usage("give --entities-types or --entities-types-string, not both")
		}
		opt.EntitiesTypesRaw, _ = json.Marshal(*entitiesString)
	}
	for _, t := range strings.Split(*entities, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opt.EntitiesTypes = append(opt.EntitiesTypes, t)
		}
	}

	// The first SIGINT/SIGTERM cancels the send; from then on the default
	// handling applies, so a second one ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	// pycti splits before it registers or connects: a bundle with nothing
	// to import fails without touching the platform or the broker.
	if err := helper.CheckBundle(ctx, cfg, data, opt); err != nil {
		return e.fail(sendError(args[0], err))
	}
	h, err := helper.New(ctx, cfg)
	if err != nil {
		return e.fail(cleanError(err))
	}
	pieces, err := h.Send(ctx, data, opt)
	if cerr := h.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return e.fail(sendError(args[0], err))
	}
	cfg.Logger.Debug("send finished", "pieces", len(pieces))
	return 0
}
