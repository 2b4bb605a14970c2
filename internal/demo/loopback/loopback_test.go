package loopback

import (
	"net"
	"testing"
)

func TestPreferredPortElseAnyFreeOne(t *testing.T) {
	held, err := net.Listen("tcp", Host+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	taken := Port(held)
	l, err := Listen(taken)
	if err != nil {
		t.Fatalf("a taken preferred port is an error: %v", err)
	}
	defer l.Close()
	if Port(l) == taken || l.Addr().(*net.TCPAddr).IP.String() != Host {
		t.Errorf("listening on %s with %d taken", l.Addr(), taken)
	}
	held.Close()
	again, err := Listen(taken)
	if err != nil || Port(again) != taken {
		t.Errorf("the free preferred port was not used: %v %v", again, err)
	}
	if again != nil {
		again.Close()
	}
}
