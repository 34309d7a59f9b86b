package history

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

var source struct {
	once     sync.Once
	commit   string
	modified bool
}

// Source returns the git commit of the llmsam source the binary was built
// from and whether that tree had uncommitted changes: from the build
// information `go build` records in a git checkout (vcs.revision,
// vcs.modified), or else, when the source files are in a git checkout (as
// with `go run` and `go test`), by asking git there. It returns "" when
// neither knows (a module download, no git).
func Source() (commit string, modified bool) {
	source.once.Do(func() {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == "github.com/llmsam/llmsam" {
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					source.commit = s.Value
				case "vcs.modified":
					source.modified = s.Value == "true"
				}
			}
			if source.commit != "" {
				return
			}
		}
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return
		}
		dir := filepath.Dir(file)
		out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			return
		}
		source.commit = strings.TrimSpace(string(out))
		status, err := exec.Command("git", "-C", dir, "status", "--porcelain").Output()
		source.modified = err == nil && len(strings.TrimSpace(string(status))) > 0
	})
	return source.commit, source.modified
}
