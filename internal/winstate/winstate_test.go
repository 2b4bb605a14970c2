package winstate

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "window.json")
	if got := Load(p); got != Default {
		t.Fatalf("first run: %+v", got)
	}
	want := State{X: 40, Y: 60, Width: 1000, Height: 700, Maximised: true}
	if err := Save(p, want); err != nil {
		t.Fatal(err)
	}
	if got := Load(p); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	os.WriteFile(p, []byte("{garbage"), 0o600)
	if got := Load(p); got != Default {
		t.Fatalf("garbage: %+v", got)
	}
}

func TestFitBringsLostWindowsBack(t *testing.T) {
	laptop := []Screen{{1366, 768}}
	// Saved on a big external monitor that is gone now.
	got := Fit(State{X: 2500, Y: 1200, Width: 1800, Height: 1000}, laptop)
	if got.Width != 1366 || got.Height != 768 || got.X != 0 || got.Y != 0 {
		t.Fatalf("off-screen window: %+v", got)
	}
	got = Fit(State{X: 10, Y: 10, Width: 100, Height: 100}, laptop)
	if got.Width != Min.Width || got.Height != Min.Height || got.X != 10 {
		t.Fatalf("tiny window: %+v", got)
	}
	if got := Fit(State{X: -5000, Y: 5, Width: 800, Height: 600}, nil); got.X != -5000 {
		t.Fatalf("no screen info must not move the window: %+v", got)
	}
}
