package mailcache

import (
	"strings"
	"testing"
)

func TestOrderFoldersInboxFirst(t *testing.T) {
	jobs := []folderJob{{name: "Trash", incoming: 5}, {name: "Archive", incoming: 900}, {name: "INBOX", incoming: 10}, {name: "Sent", incoming: 50}}
	orderFolders(jobs)
	var names []string
	for _, j := range jobs {
		names = append(names, j.name)
	}
	if got := strings.Join(names, " "); got != "INBOX Archive Sent Trash" {
		t.Fatalf("order %s", got)
	}
}
