package wiki

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestDummyHash_Cost: an unknown login is checked against a hash of the
// cost the service hashes passwords with, so that it takes the time a
// member's login takes, whatever the configured cost. Two costs show that
// it follows the cost; they are the cheapest two, as nothing in dummyHash
// depends on which (one hash of bcrypt.DefaultCost takes 60 ms or more).
func TestDummyHash_Cost(t *testing.T) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.MinCost + 1} {
		if got, err := bcrypt.Cost(dummyHash(cost)); err != nil || got != cost {
			t.Errorf("dummyHash(%d) has cost %d (%v)", cost, got, err)
		}
	}
}
