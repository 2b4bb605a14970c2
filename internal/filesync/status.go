package filesync

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Progress of the transfers of one pass.
type Progress struct {
	FilesDone  int     `json:"filesDone"`
	FilesTotal int     `json:"filesTotal"`
	BytesDone  int64   `json:"bytesDone"`
	BytesTotal int64   `json:"bytesTotal"`
	Rate       float64 `json:"rate"`       // bytes/s since the pass began
	ETASeconds float64 `json:"etaSeconds"` // -1 when unknown
	Current    string  `json:"current"`
}

// Status is what the app and `deskport files status` show.
type Status struct {
	State     string    `json:"state"` // idle, scanning, syncing, paused, error, waiting-confirm
	LastSync  time.Time `json:"lastSync"`
	LastError string    `json:"lastError"`
	Progress  Progress  `json:"progress"`
}

func (e *Engine) setState(s string, err error) {
	e.mu.Lock()
	if e.paused && (s == "idle" || s == "error") && err == nil {
		s = "paused"
	}
	e.status.State = s
	if err != nil {
		e.status.LastError = err.Error()
	} else if s == "idle" || s == "paused" {
		e.status.LastError = ""
		e.status.LastSync = e.now()
	}
	e.mu.Unlock()
}

// Status returns a snapshot.
func (e *Engine) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status
}

// progress counts transferred bytes and reports at most every 200 ms.
type progress struct {
	e          *Engine
	start      time.Time
	filesTotal int
	bytesTotal int64
	filesDone  atomic.Int64
	bytesDone  atomic.Int64
	mu         sync.Mutex
	last       time.Time
	current    string
	trailing   bool // a report is due when the 200 ms are up
}

// add counts bytes and reports (at most every 200 ms), so the progress
// moves during a long transfer, not only when a file is done.
func (p *progress) add(n int64) {
	p.bytesDone.Add(n)
	p.report(false)
}

func (p *progress) fileDone(name string) {
	p.filesDone.Add(1)
	p.mu.Lock()
	p.current = name
	p.mu.Unlock()
	p.report(false)
}

func (p *progress) report(force bool) {
	p.mu.Lock()
	now := time.Now()
	if wait := 200*time.Millisecond - now.Sub(p.last); !force && wait > 0 {
		// the bytes of these 200 ms are reported when they are up, also
		// when no more come (a stalled transfer)
		if !p.trailing {
			p.trailing = true
			time.AfterFunc(wait, func() {
				p.mu.Lock()
				p.trailing = false
				p.mu.Unlock()
				p.report(false)
			})
		}
		p.mu.Unlock()
		return
	}
	p.last = now
	cur := p.current
	p.mu.Unlock()
	done := p.bytesDone.Load()
	pr := Progress{FilesDone: int(p.filesDone.Load()), FilesTotal: p.filesTotal, BytesDone: done, BytesTotal: p.bytesTotal, ETASeconds: -1, Current: cur}
	if el := now.Sub(p.start).Seconds(); el > 0.2 {
		pr.Rate = float64(done) / el
		if pr.Rate > 0 {
			pr.ETASeconds = float64(p.bytesTotal-done) / pr.Rate
		}
	}
	p.e.mu.Lock()
	p.e.status.Progress = pr
	cb := p.e.opt.Progress
	p.e.mu.Unlock()
	if cb != nil {
		cb(pr)
	}
}

// countingReader/Writer feed progress and the bandwidth limiter.
type countingReader struct {
	r   io.Reader
	p   *progress
	lm  *limiter
	pos int64
	f   *fileProgress
}

func (c *countingReader) Read(b []byte) (int, error) {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	n, err := c.r.Read(b)
	c.pos += int64(n)
	c.p.add(int64(n))
	c.f.add(int64(n))
	c.lm.wait(n)
	return n, err
}

// Seek lets the client resend the body (e.g. after Apache's one-second
// weak ETag refused a conditional upload); progress follows back.
func (c *countingReader) Seek(off int64, whence int) (int64, error) {
	s, ok := c.r.(io.Seeker)
	if !ok {
		return 0, errors.New("not seekable")
	}
	n, err := s.Seek(off, whence)
	if err == nil {
		c.p.add(n - c.pos)
		c.f.add(n - c.pos)
		c.pos = n
	}
	return n, err
}

// ReadAt lets remotes that upload in parallel chunks read the file directly.
func (c *countingReader) ReadAt(b []byte, off int64) (int, error) {
	ra, ok := c.r.(io.ReaderAt)
	if !ok {
		return 0, errors.New("not seekable")
	}
	n, err := ra.ReadAt(b, off)
	c.p.add(int64(n))
	c.f.add(int64(n))
	c.lm.wait(n)
	return n, err
}

type countingWriter struct {
	w  io.Writer
	p  *progress
	lm *limiter
	n  int64
	f  *fileProgress
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.p.add(int64(n))
	c.f.add(int64(n))
	c.lm.wait(n)
	return n, err
}

// limiter is a token bucket shared by all transfers of an engine.
type limiter struct {
	mu     sync.Mutex
	bps    int64
	tokens float64
	last   time.Time
	now    func() time.Time
	sleep  func(time.Duration)
}

func newLimiter(bps int64) *limiter {
	return &limiter{bps: bps, last: time.Now(), now: time.Now, sleep: time.Sleep}
}

func (l *limiter) set(bps int64) {
	l.mu.Lock()
	l.bps = bps
	l.mu.Unlock()
}

func (l *limiter) wait(n int) {
	l.mu.Lock()
	if l.bps <= 0 {
		l.mu.Unlock()
		return
	}
	now := l.now()
	l.tokens += now.Sub(l.last).Seconds() * float64(l.bps)
	if l.tokens > float64(l.bps) {
		l.tokens = float64(l.bps)
	}
	l.last = now
	l.tokens -= float64(n)
	var sleep time.Duration
	if l.tokens < 0 {
		sleep = time.Duration(-l.tokens / float64(l.bps) * float64(time.Second))
	}
	l.mu.Unlock()
	if sleep > 0 {
		l.sleep(sleep)
	}
}
