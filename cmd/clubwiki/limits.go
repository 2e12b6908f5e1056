package main

import (
	"flag"

	"github.com/kdecole-club/clubwiki/wiki/web"
)

// writeLimitFlags are serve's limits on writes: per member, and per API
// token (the member's by default).
type writeLimitFlags struct {
	rate, tokenRate   float64
	burst, tokenBurst int
}

func (f *writeLimitFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.rate, "write-rate", 10, "writes a second each member may make on average, API and forms together (0: no limit)")
	fs.IntVar(&f.burst, "write-burst", 200, "writes each member may make at once")
	fs.Float64Var(&f.tokenRate, "token-write-rate", 0, "writes a second each API token may make on average (default: --write-rate)")
	fs.IntVar(&f.tokenBurst, "token-write-burst", 0, "writes each API token may make at once (default: --write-burst)")
}

// limits checks the flags and returns the member's and the token's limits
// for web.Options.
func (f *writeLimitFlags) limits() (member, token web.WriteLimit, err error) {
	if f.rate < 0 || f.tokenRate < 0 {
		return member, token, usagef("--write-rate and --token-write-rate want a number of writes a second, 0 or more")
	}
	if f.burst < 1 || f.tokenBurst < 0 {
		return member, token, usagef("--write-burst wants 1 or more, --token-write-burst 0 or more")
	}
	member = web.WriteLimit{Rate: f.rate, Burst: f.burst}
	if f.rate == 0 {
		member.Rate = -1 // no limit
	}
	token = member
	if f.tokenRate > 0 {
		token.Rate = f.tokenRate
	}
	if f.tokenBurst > 0 {
		token.Burst = f.tokenBurst
	}
	return member, token, nil
}
