package mailcache

// Under Wine, t.TempDir's cleanup needs Go's classic delete (see testwine).
import _ "github.com/deskport/deskport/internal/testwine"
