// Command staticserver answers every request with the bytes of one file, as
// the baseline that bench/read.sh compares the JSON API with: the same
// answer, with no work but the HTTP round trip.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	file := flag.String("file", "", "file to serve")
	ctype := flag.String("type", "application/json; charset=utf-8", "Content-Type of the answer")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// The script reads the chosen port from this line.
	fmt.Printf("serving http://%s/\n", ln.Addr())
	size := strconv.Itoa(len(body))
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", *ctype)
		w.Header().Set("Content-Length", size)
		_, _ = w.Write(body)
	})))
}
