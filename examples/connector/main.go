package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stixkit/stixkit/helper"
)

//go:embed config.sample.yml
var sampleConfig []byte

//go:embed testdata/iocs.txt
var sampleIOCs []byte

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, options{}))
}

// options are test hooks.
type options struct {
	now     func() time.Time
	newUUID func() string
}

// state is what the connector keeps between runs.
type state struct {
	LastRun   time.Time `json:"last_run"`
	LastCount int       `json:"last_count"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, o options) int {
	fs := flag.NewFlagSet("connector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (default: config.yml next to the binary or in the working directory, else the built-in sample)")
	once := fs.Bool("once", false, "run once and exit")
	dryRun := fs.Bool("dry-run", false, "never publish: write would-be publishes as JSON lines on stdout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.now == nil {
		o.now = time.Now
	}

	// The built-in sample is used only when there is no configuration at
	// all: no -config, no config.yml, and no variable naming the connector
	// or a broker or platform (CONNECTOR_NAME, CONNECTOR_ID, RABBITMQ_*,
	// OPENCTI_*, MQ_*); other variables override the sample's keys. A
	// configuration that exists but is wrong is an error.
	var cfg *helper.Config
	var err error
	if *configPath == "" && helper.FindConfigFile() == "" && !configInEnvironment() {
		cfg, err = helper.ParseConfig(sampleConfig, "built-in config.sample.yml")
	} else {
		cfg, err = helper.LoadConfig(*configPath)
	}
	if err != nil {
		fmt.Fprintln(stderr, "connector:", err)
		return 1
	}
	level := slog.LevelInfo
	level.UnmarshalText([]byte(strings.Replace(strings.ToLower(cfg.Connector.LogLevel), "warning", "warn", 1)))
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg.Logger = logger
	cfg.DryRun = *dryRun
	cfg.DryRunOutput = stdout
	cfg.NewUUID = o.newUUID

	interval, err := cfg.Duration("connector.interval", time.Hour)
	if err != nil {
		fmt.Fprintln(stderr, "connector:", err)
		return 1
	}
	runOnce, err := cfg.Bool("connector.run_once", false)
	if err != nil {
		fmt.Fprintln(stderr, "connector:", err)
		return 1
	}
	if cfg.SelectedProtocol() == helper.ProtocolOpenCTI6 {
		// OpenCTI 6.x names (config6.sample.yml): duration_period, run_and_terminate.
		if cfg.Platform.DurationPeriod > 0 {
			interval = cfg.Platform.DurationPeriod
		}
		runOnce = runOnce || cfg.Platform.RunAndTerminate
	}
	source := cfg.String("ioc.source", "")
	author := cfg.String("ioc.author", cfg.Connector.Name)
	tlp := strings.ToLower(cfg.String("ioc.tlp", "amber"))
	var types []string
	for _, t := range strings.Split(cfg.String("ioc.entities_types", ""), ",") {
		if t = strings.TrimSpace(t); t != "" {
			types = append(types, t)
		}
	}
	if _, ok := tlps[tlp]; !ok {
		fmt.Fprintf(stderr, "connector: ioc.tlp (IOC_TLP): unknown TLP %q\n", tlp)
		return 1
	}

	if (*dryRun || !cfg.RabbitMQ.Configured) && cfg.String("connector.state_file", "") == "" {
		// A dry run keeps its state apart from the real connector's.
		cfg.StateFile = filepath.Join(os.TempDir(), "stixkit-example-connector.dryrun-state.json")
	}
	cfg.OneShot = *once || runOnce // a bounded retry unless configured
	h, err := helper.New(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "connector:", err)
		return 1
	}
	defer h.Close()

	job := func(ctx context.Context) error {
		var st state
		if _, err := h.State(&st); err != nil {
			logger.Warn("ignoring unreadable state", "error", err)
		}
		data, err := fetch(ctx, source)
		if err != nil {
			return err
		}
		iocs, rejected := parseIOCs(data)
		for _, r := range rejected {
			logger.Warn("not an IP address, domain, URL or hash; skipped", "line", r)
		}
		bundle, err := buildBundle(iocs, author, tlp, o.now())
		if err != nil {
			return err
		}
		// With OpenCTI 6.x the run is a platform work (no work with 1.1
		// or in a dry run: the id is then "").
		workID, err := h.InitiateWork(ctx, "IOC list")
		if err != nil {
			return err
		}
		var pieces [][]byte
		if workID == "" {
			pieces, err = h.SendStix2Bundle(ctx, bundle, types)
		} else {
			pieces, err = h.Send(ctx, bundle, helper.SendOptions{EntitiesTypes: types, WorkID: workID})
		}
		if api := h.API(); api != nil && workID != "" {
			msg := fmt.Sprintf("%d indicators sent", len(iocs))
			if err != nil {
				msg = err.Error()
			}
			if perr := api.ToProcessed(ctx, workID, msg, err != nil); perr != nil {
				logger.Error("cannot mark the work processed", "error", perr)
			}
		}
		if err != nil {
			return err
		}
		logger.Info("IOC list processed", "indicators", len(iocs), "messages", len(pieces), "previous_run", st.LastRun)
		return h.SetState(state{LastRun: o.now().UTC(), LastCount: len(iocs)})
	}
	err = helper.RunWith(ctx, helper.RunOptions{Interval: interval, Once: *once || runOnce, Logger: logger}, job)
	if err != nil {
		fmt.Fprintln(stderr, "connector:", err)
		return 1
	}
	return 0
}

// configInEnvironment reports whether the environment configures the
// connector or a broker or platform.
func configInEnvironment() bool {
	for _, kv := range os.Environ() {
		for _, p := range []string{"CONNECTOR_NAME=", "CONNECTOR_ID=", "RABBITMQ_", "OPENCTI_", "MQ_"} {
			if strings.HasPrefix(kv, p) {
				return true
			}
		}
	}
	return false
}

// maxListBytes bounds the IOC list read from a file or URL.
const maxListBytes = 64 << 20

// fetch reads the IOC list: the built-in sample, a file, or an http(s) URL.
func fetch(ctx context.Context, source string) ([]byte, error) {
	switch {
	case source == "":
		return sampleIOCs, nil
	case strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://"):
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetching %s: %s", source, resp.Status)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxListBytes+1))
		if err == nil && len(data) > maxListBytes {
			err = fmt.Errorf("fetching %s: larger than %d bytes", source, maxListBytes)
		}
		return data, err
	default:
		f, err := os.Open(source)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxListBytes+1))
		if err == nil && len(data) > maxListBytes {
			err = fmt.Errorf("%s: larger than %d bytes", source, maxListBytes)
		}
		return data, err
	}
}
