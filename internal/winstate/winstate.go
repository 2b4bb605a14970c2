// Package winstate remembers the window's size and position between runs and
// makes sure a remembered window lands on a screen that still exists.
package winstate

import (
	"encoding/json"
	"os"

	"github.com/deskport/deskport/internal/config"
)

// State is the window as it was when Deskport closed.
type State struct {
	X, Y          int
	Width, Height int
	Maximised     bool
}

// Screen is one monitor's size (Wails reports no offsets, so positions are
// checked against the largest screen).
type Screen struct{ Width, Height int }

// Default is the first-run window.
var Default = State{Width: 1200, Height: 800}

// Min is the smallest usable window.
var Min = State{Width: 720, Height: 480}

// Load reads path; a missing or unreadable file gives Default (the window
// state is not user data worth an error).
func Load(path string) State {
	data, err := os.ReadFile(path)
	if err != nil {
		return Default
	}
	var s State
	if json.Unmarshal(data, &s) != nil || s.Width <= 0 || s.Height <= 0 {
		return Default
	}
	return s
}

// Save writes s atomically.
func Save(path string, s State) error {
	data, _ := json.Marshal(s)
	return config.WriteFileAtomic(path, data, 0o600)
}

// Fit keeps s usable on the given screens: at least Min, at most the largest
// screen, and with its top-left corner on it so the title bar can be grabbed.
func Fit(s State, screens []Screen) State {
	if s.Width < Min.Width {
		s.Width = Min.Width
	}
	if s.Height < Min.Height {
		s.Height = Min.Height
	}
	var big Screen
	for _, sc := range screens {
		if sc.Width*sc.Height > big.Width*big.Height {
			big = sc
		}
	}
	if big.Width == 0 {
		return s
	}
	if s.Width > big.Width {
		s.Width = big.Width
	}
	if s.Height > big.Height {
		s.Height = big.Height
	}
	if s.X < 0 || s.X > big.Width-100 {
		s.X = (big.Width - s.Width) / 2
	}
	if s.Y < 0 || s.Y > big.Height-50 {
		s.Y = (big.Height - s.Height) / 2
	}
	return s
}
