package wiki

import "testing"

func TestCorrectQuery(t *testing.T) {
	cs := []SearchCorrection{{Word: "notfication", To: "notification"}}
	for _, tt := range []struct{ name, q, want string }{
		{"one word", "notfication", "notification"},
		{"case aside, the rest kept", `Notfication parents type:resolution "mot de passe"`, `notification parents type:resolution "mot de passe"`},
		{"a part of a word is not replaced", "notfications", "notfications"},
		{"nothing to correct", "parents", "parents"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CorrectQuery(tt.q, cs); got != tt.want {
				t.Errorf("CorrectQuery(%q) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
	if got := CorrectQuery("a  b", nil); got != "a  b" {
		t.Errorf("without corrections: %q", got)
	}
}
