package wiki

import (
	"testing"
	"time"
)

// TestConfig_RoomWait: the waiting rooms of previews and diffs wait
// roomMaxWait unless Config.RoomWait sets another wait (the tests of the
// rooms use a short one, and cannot tell the default's length without
// sitting through it).
func TestConfig_RoomWait(t *testing.T) {
	for _, c := range []struct {
		set, want time.Duration
	}{{0, roomMaxWait}, {-time.Second, roomMaxWait}, {150 * time.Millisecond, 150 * time.Millisecond}} {
		s := NewService(nil, nil, nil, Config{RoomWait: c.set})
		for name, g := range map[string]*renderGate{"previews": s.previews, "diffs": s.diffs} {
			if g.maxWait != c.want || g.room <= 0 {
				t.Errorf("RoomWait %v: the %s' room waits %v (room %d), want %v", c.set, name, g.maxWait, g.room, c.want)
			}
		}
	}
	if roomMaxWait != 2*time.Second {
		t.Errorf("roomMaxWait = %v, documented as 2 s", roomMaxWait)
	}
}
