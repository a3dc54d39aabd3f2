package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stixkit/stixkit/helper"
)

func init() {
	commands["send"] = command{
		summary: "send a STIX bundle to OpenCTI like pycti's send_stix2_bundle (or --dry-run)",
		run:     runSend,
	}
}

func runSend(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (default: config.yml next to the executable, then in the working directory, else environment variables)")
	protocol := fs.String("protocol", "", "wire protocol: 1.1 (pycti 1.2.15) or 6 (pycti 6.x); default chosen by the configuration")
	dryRun := fs.Bool("dry-run", false, "write each would-be publish as a JSON line on stdout instead of publishing")
	entities := fs.String("entities-types", "", "comma-separated STIX types the platform should import, sent as a list (pycti's entities_types=[...]); default: all")
	entitiesString := fs.String("entities-types-string", "", "send entities_types as this string, as pycti does when a connector passes a string (entities_types=\"Report,Indicator\")")
	draftID := fs.String("draft-id", "", "draft id: import into this draft (protocol 6)")
	maxAttempts := fs.Int("max-attempts", 0, "give up after this many failed broker attempts without progress (default: connector.retry_max_attempts, else 5 for send)")
	maxBackoff := fs.Duration("max-backoff", 0, "longest wait between broker attempts (default: connector.retry_max_backoff, else 30s)")
	applicant := fs.String("applicant-id", "", "applicant id (protocol 6, dry run)")
	workID := fs.String("work-id", "", "work id (protocol 6)")
	update := fs.Bool("update", false, "update existing entities (protocol 6)")
	eventVersion := fs.String("event-version", "", "x_opencti_event_version written into every piece (protocol 6); unset leaves it out, --event-version '' writes \"\" as pycti does for event_version=\"\"")
	cleanup := fs.Bool("cleanup-inconsistent-bundle", false, "drop objects with missing references (protocol 6)")
	logLevel := fs.String("log-level", "", "override connector.log_level (debug, info, warning, error)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stixkit send [flags] BUNDLE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	cfg, err := helper.LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit send:", err)
		return 1
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
	cfg.OneShot = true
	if *maxAttempts < 0 || *maxBackoff < 0 {
		fmt.Fprintln(stderr, "stixkit send: --max-attempts and --max-backoff must not be negative")
		return 2
	}
	if *maxAttempts > 0 {
		cfg.Retry.MaxAttempts = *maxAttempts
	}
	if *maxBackoff > 0 {
		cfg.Retry.MaxBackoff = *maxBackoff
	}

	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit send:", err)
		return 1
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
			fmt.Fprintln(stderr, "stixkit send: give --entities-types or --entities-types-string, not both")
			return 2
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
		fmt.Fprintln(stderr, "stixkit send:", err)
		return 1
	}
	h, err := helper.New(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit send:", err)
		return 1
	}
	pieces, err := h.Send(ctx, data, opt)
	if cerr := h.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "stixkit send:", err)
		return 1
	}
	cfg.Logger.Debug("send finished", "pieces", len(pieces))
	return 0
}
