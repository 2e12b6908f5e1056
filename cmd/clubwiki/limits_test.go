package main

import (
	"flag"
	"io"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki/web"
)

func TestWriteLimitFlags_limits(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		member, token web.WriteLimit
	}{
		{"defaults", nil, web.WriteLimit{Rate: 10, Burst: 200}, web.WriteLimit{Rate: 10, Burst: 200}},
		{"tokens follow the member's limit", []string{"--write-rate", "2", "--write-burst", "5"},
			web.WriteLimit{Rate: 2, Burst: 5}, web.WriteLimit{Rate: 2, Burst: 5}},
		{"tokens apart", []string{"--token-write-rate", "0.5", "--token-write-burst", "3"},
			web.WriteLimit{Rate: 10, Burst: 200}, web.WriteLimit{Rate: 0.5, Burst: 3}},
		{"zero is no limit", []string{"--write-rate", "0"}, web.WriteLimit{Rate: -1, Burst: 200}, web.WriteLimit{Rate: -1, Burst: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var f writeLimitFlags
			f.register(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			m, tok, err := f.limits()
			if err != nil || m != tt.member || tok != tt.token {
				t.Errorf("got %+v, %+v, %v; want %+v, %+v", m, tok, err, tt.member, tt.token)
			}
		})
	}
}
