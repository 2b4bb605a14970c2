package workspace

import "testing"

func TestFilesDAVURL(t *testing.T) {
	if u := FilesDAVURL("https://cloud.example.org/", "a b"); u != "https://cloud.example.org/remote.php/dav/files/a%20b/" {
		t.Error(u)
	}
}
