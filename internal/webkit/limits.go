package webkit

import (
	"sync"
	"time"
)

// gestureMemory remembers the addresses of clicked navigations for a short
// while, so that the response decided later (which carries no gesture flag)
// can tell a click from a script. Each click counts once.
type gestureMemory struct {
	mu   sync.Mutex
	ttl  time.Duration
	seen map[string]time.Time
}

func newGestureMemory(ttl time.Duration) *gestureMemory {
	return &gestureMemory{ttl: ttl, seen: map[string]time.Time{}}
}

// Note records a clicked navigation to uri at now.
func (g *gestureMemory) Note(uri string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for u, t := range g.seen {
		if now.Sub(t) > g.ttl {
			delete(g.seen, u)
		}
	}
	if len(g.seen) < 64 {
		g.seen[uri] = now
	}
}

// Take reports whether uri was clicked within the time-to-live, and forgets it.
func (g *gestureMemory) Take(uri string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	t, ok := g.seen[uri]
	delete(g.seen, uri)
	return ok && now.Sub(t) <= g.ttl
}

// rateLimit lets through at most burst events at once and then one per
// interval (a token bucket); the rest are dropped. It keeps a page that got
// hold of a click from opening the desktop's browser in a loop.
type rateLimit struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	tokens   float64
	last     time.Time
}

func newRateLimit(burst int, interval time.Duration) *rateLimit {
	return &rateLimit{burst: float64(burst), interval: interval, tokens: float64(burst)}
}

// Allow takes a token at now if there is one.
func (r *rateLimit) Allow(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.last.IsZero() {
		r.tokens += float64(now.Sub(r.last)) / float64(r.interval)
		if r.tokens > r.burst {
			r.tokens = r.burst
		}
	}
	r.last = now
	if r.tokens < 1 {
		return false
	}
	r.tokens--
	return true
}
