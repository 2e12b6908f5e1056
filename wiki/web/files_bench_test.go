package web

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// noise is an endless reader of pseudo-random bytes: the upload's body is
// made as it is sent, so that the memory measured is the server's.
type noise struct{ r *rand.ChaCha8 }

func (n noise) Read(p []byte) (int, error) { return n.r.Read(p) }

// BenchmarkServer_Upload10MiB sends a 10 MiB attachment over HTTP to a
// real server on a real bbolt file (with fsync) and reports, besides the
// time, the bytes allocated per upload and the peak of the heap above
// where it stood before (sampled every millisecond): an upload that held
// the file would show at least 10 MiB there.
//
//	go test -run XXX -bench Upload10MiB -benchtime 10x ./wiki/web
func BenchmarkServer_Upload10MiB(b *testing.B) {
	const size = 10 << 20
	e := newTestEnv(b)
	e.save("usages/gros", "# Gros\n", 0, http.StatusCreated)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	var peak atomic.Uint64
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	})
	b.ResetTimer()
	for i := range b.N {
		body := io.LimitReader(noise{rand.NewChaCha8([32]byte{byte(i)})}, size)
		req, _ := http.NewRequest("PUT", ts.URL+"/api/files/usages/gros/donnees-"+strconv.Itoa(i)+".bin", body)
		req.ContentLength = size
		req.Header.Set("Authorization", "Bearer "+e.editor)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "peak-heap-MiB")
	b.SetBytes(size)
}
