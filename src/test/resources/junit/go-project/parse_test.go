// Outcomes go test records: pass, failure, panic (nil dereference), skip.
package junitdemo

import "testing"

type header struct{ size int }

func TestParseHeader(t *testing.T) {
	if 2+2 != 4 {
		t.Fatal("arithmetic")
	}
}

func TestParseLength(t *testing.T) {
	got, want := 12, 16
	if got != want {
		t.Errorf("length of frame 0xdeadbeef: got %d, want %d", got, want)
	}
}

func TestParseNil(t *testing.T) {
	var h *header
	t.Log("decoding header")
	_ = h.size
}

func TestParseNetwork(t *testing.T) {
	t.Skip("needs network")
}
