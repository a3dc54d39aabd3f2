package helper

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRunOnce(t *testing.T) {
	var n atomic.Int32
	if err := Run(context.Background(), 0, func(ctx context.Context) error { n.Add(1); return nil }); err != nil || n.Load() != 1 {
		t.Fatalf("err %v, %d runs", err, n.Load())
	}
	boom := errors.New("boom")
	if err := RunWith(context.Background(), RunOptions{Interval: time.Hour, Once: true}, func(ctx context.Context) error { return boom }); err != boom {
		t.Fatalf("run-once error: %v", err)
	}
}

func TestRunInterval(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	err := RunWith(ctx, RunOptions{Interval: 10 * time.Millisecond}, func(ctx context.Context) error {
		if n.Add(1) == 3 {
			cancel()
		}
		return errors.New("failing runs do not stop the loop")
	})
	if err != context.Canceled || n.Load() != 3 {
		t.Fatalf("err %v after %d runs", err, n.Load())
	}
}

// TestRunSignal sends the process a signal (a private one, so the test
// runner is not disturbed) during a run: the run finishes, the loop stops.
func TestRunSignal(t *testing.T) {
	started := make(chan struct{})
	var finished atomic.Bool
	go func() {
		<-started
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	}()
	err := RunWith(context.Background(), RunOptions{Interval: time.Hour, signals: []os.Signal{syscall.SIGUSR1}}, func(ctx context.Context) error {
		close(started)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
			finished.Store(true)
			return nil
		}
	})
	if err != nil || !finished.Load() {
		t.Fatalf("err %v finished %v", err, finished.Load())
	}
}

func TestRunSignalAbandon(t *testing.T) {
	started := make(chan struct{})
	go func() {
		<-started
		syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	}()
	t0 := time.Now()
	err := RunWith(context.Background(), RunOptions{Interval: time.Hour, AbandonOnSignal: true, signals: []os.Signal{syscall.SIGUSR2}}, func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	if err != nil || time.Since(t0) > 5*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(t0))
	}
}

func TestStateFile(t *testing.T) {
	s := StateFile{Path: filepath.Join(t.TempDir(), "state.json")}
	var st struct{ LastRun string }
	if ok, err := s.Load(&st); ok || err != nil {
		t.Fatalf("fresh: %v %v", ok, err)
	}
	if err := s.Save(map[string]string{"LastRun": "2024-01-01T00:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Load(&st); !ok || err != nil || st.LastRun != "2024-01-01T00:00:00Z" {
		t.Fatalf("%v %v %+v", ok, err, st)
	}
	os.WriteFile(s.Path, []byte("{broken"), 0o600)
	if _, err := s.Load(&st); err == nil {
		t.Fatal("broken state accepted")
	}
}

// TestRunSecondSignal: a second signal returns at once, even when the job
// ignores its context.
func TestRunSecondSignal(t *testing.T) {
	started := make(chan struct{})
	go func() {
		<-started
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
		time.Sleep(100 * time.Millisecond)
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	}()
	release := make(chan struct{})
	defer close(release)
	t0 := time.Now()
	err := RunWith(context.Background(), RunOptions{Interval: time.Hour, signals: []os.Signal{syscall.SIGUSR1}}, func(ctx context.Context) error {
		close(started)
		<-release // a job that does not watch ctx
		return nil
	})
	if !errors.Is(err, ErrInterrupted) || time.Since(t0) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(t0))
	}
}
