package config

import (
	"strings"
	"testing"
)

// Share links can be turned off by the administrator only.
func TestNoShareLinksIsAdminOnly(t *testing.T) {
	p, _ := setup(t, `{"noShareLinks": true}`, `{"bandwidthKBps": 100}`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Effective.NoShareLinks {
		t.Fatal("the admin's noShareLinks did not take effect")
	}
	p, _ = setup(t, ``, `{"noShareLinks": false}`)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "administrator") {
		t.Fatalf("a user's noShareLinks: %v, want refused", err)
	}
}
