package webdav

import (
	"context"
	"io"
	"sync"
	"time"
)

// Limiter is a token bucket limiting bytes per second; share one between
// transfers to limit them together. The rate can change at any time.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // bytes per second; 0 = unlimited
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter of bytesPerSecond (0 or less: unlimited).
func NewLimiter(bytesPerSecond int64) *Limiter {
	l := &Limiter{}
	l.SetRate(bytesPerSecond)
	return l
}

// SetRate changes the limit (0 or less: unlimited).
func (l *Limiter) SetRate(bytesPerSecond int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rate = max(0, float64(bytesPerSecond))
	l.tokens, l.last = 0, time.Now()
}

// Rate is the current limit in bytes per second (0: unlimited).
func (l *Limiter) Rate() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(l.rate)
}

func (l *Limiter) burst() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rate == 0 {
		return 256 << 10
	}
	return int(min(max(l.rate/8, 1024), 256<<10))
}

// Wait blocks until n bytes may pass.
func (l *Limiter) Wait(ctx context.Context, n int) error {
	l.mu.Lock()
	if l.rate == 0 {
		l.mu.Unlock()
		return ctx.Err()
	}
	now := time.Now()
	l.tokens = min(l.tokens+now.Sub(l.last).Seconds()*l.rate, l.rate/4) // bursts of at most 250 ms
	l.last = now
	l.tokens -= float64(n)
	var wait time.Duration
	if l.tokens < 0 {
		wait = time.Duration(-l.tokens / l.rate * float64(time.Second))
	}
	l.mu.Unlock()
	if wait == 0 {
		return ctx.Err()
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Reader limits reads from r.
func (l *Limiter) Reader(ctx context.Context, r io.Reader) io.Reader {
	return &limitedReader{ctx: ctx, l: l, r: r}
}

// Writer limits writes to w.
func (l *Limiter) Writer(ctx context.Context, w io.Writer) io.Writer {
	return &limitedWriter{ctx: ctx, l: l, w: w}
}

type limitedReader struct {
	ctx context.Context
	l   *Limiter
	r   io.Reader
}

func (r *limitedReader) Read(p []byte) (int, error) {
	if b := r.l.burst(); len(p) > b {
		p = p[:b]
	}
	n, err := r.r.Read(p)
	if n > 0 {
		if werr := r.l.Wait(r.ctx, n); werr != nil && err == nil {
			err = werr
		}
	}
	return n, err
}

type limitedWriter struct {
	ctx context.Context
	l   *Limiter
	w   io.Writer
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), w.l.burst())
		if err := w.l.Wait(w.ctx, n); err != nil {
			return written, err
		}
		m, err := w.w.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}
