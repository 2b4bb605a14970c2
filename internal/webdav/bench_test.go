package webdav

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// Benchmarks against the Nextcloud-compatible peer; each reports requests/op.
//   go test ./internal/webdav -run '^$' -bench . -benchtime 3x

func benchClient(b *testing.B) (*testpeer.NCServer, *Client) {
	nc := testpeer.StartNCServer(b, testpeer.NCWorkers(8))
	c, err := New(Options{FilesURL: nc.FilesURL, User: nc.User, Password: nc.Pass})
	if err != nil {
		b.Fatal(err)
	}
	return nc, c
}

func smallFiles(dir string, n int) []BulkFile {
	files := make([]BulkFile, n)
	for i := range files {
		data := randomData(1024 + i%16*1024)
		files[i] = BulkFile{Path: fmt.Sprintf("%s/f%04d.txt", dir, i), Size: int64(len(data)), Data: data}
	}
	return files
}

// 500 small files (1–16 KB): bulk upload vs. single PUTs, 8 at a time.
func BenchmarkUpload500Small(b *testing.B) {
	for _, mode := range []string{"bulk", "put"} {
		b.Run(mode, func(b *testing.B) {
			_, c := benchClient(b)
			ctx := context.Background()
			before := c.Requests()
			for i := 0; i < b.N; i++ {
				dir := fmt.Sprintf("run%d", i)
				if err := c.MkdirAll(ctx, dir); err != nil {
					b.Fatal(err)
				}
				files := smallFiles(dir, 500)
				var wg sync.WaitGroup
				errs := make(chan error, 8)
				for w := 0; w < 8; w++ {
					wg.Add(1)
					go func(w int) {
						defer wg.Done()
						var mine []BulkFile
						for j := w; j < len(files); j += 8 {
							mine = append(mine, files[j])
						}
						for _, r := range c.BulkUpload(ctx, mine, mode == "bulk") {
							if r.Err != nil {
								errs <- r.Err
								return
							}
						}
					}(w)
				}
				wg.Wait()
				close(errs)
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.Requests()-before)/float64(b.N), "requests/op")
		})
	}
}

// One 64 MiB file by chunked upload (10 MiB chunks, 2 in parallel) vs. one PUT.
func BenchmarkUpload64MiB(b *testing.B) {
	data := randomData(64 << 20)
	for _, mode := range []string{"chunked", "put"} {
		b.Run(mode, func(b *testing.B) {
			_, c := benchClient(b)
			ctx := context.Background()
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				p := fmt.Sprintf("big%d.bin", i)
				var err error
				if mode == "chunked" {
					_, err = c.PutChunked(ctx, p, bytes.NewReader(data), int64(len(data)), ChunkedOptions{Parallel: 2})
				} else {
					_, err = c.Put(ctx, p, bytes.NewReader(data), int64(len(data)), PutOptions{})
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Listing a folder of 1,000 entries (PROPFIND Depth 1 + parsing).
func BenchmarkList1000(b *testing.B) {
	_, c := benchClient(b)
	ctx := context.Background()
	if err := c.MkdirAll(ctx, "many"); err != nil {
		b.Fatal(err)
	}
	for _, r := range c.BulkUpload(ctx, smallFiles("many", 1000), true) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := c.List(ctx, "many")
		if err != nil || len(l.Entries) != 1000 {
			b.Fatal(err, len(l.Entries))
		}
	}
}

// Downloading 200 small files, 8 at a time, over kept-alive connections.
func BenchmarkGet200Small(b *testing.B) {
	_, c := benchClient(b)
	ctx := context.Background()
	c.MkdirAll(ctx, "dl")
	files := smallFiles("dl", 200)
	for _, r := range c.BulkUpload(ctx, files, true) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	b.ResetTimer()
	before := c.Requests()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for j := w; j < len(files); j += 8 {
					if _, err := c.Get(ctx, files[j].Path, io.Discard, GetOptions{}); err != nil {
						b.Error(err)
						return
					}
				}
			}(w)
		}
		wg.Wait()
	}
	b.ReportMetric(float64(c.Requests()-before)/float64(b.N), "requests/op")
}
