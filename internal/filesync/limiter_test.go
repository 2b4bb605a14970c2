package filesync

import (
	"testing"
	"time"
)

// The limiter is checked on a fake clock: 1 MB at 100 kB/s must make the
// transfers wait about 10 s in all (less the one second of burst allowed).
func TestLimiterWaitsForTheRate(t *testing.T) {
	clock := time.Unix(0, 0)
	var slept time.Duration
	l := newLimiter(100_000)
	l.last, l.now = clock, func() time.Time { return clock }
	l.sleep = func(d time.Duration) { slept += d; clock = clock.Add(d) }
	for i := 0; i < 100; i++ {
		l.wait(10_000)
	}
	if slept < 9*time.Second || slept > 10*time.Second+time.Millisecond {
		t.Fatalf("1 MB at 100 kB/s waited %v, want about 9–10 s", slept)
	}
	l.set(0)
	before := slept
	l.wait(1 << 30)
	if slept != before {
		t.Fatal("an unlimited limiter waited")
	}
}
