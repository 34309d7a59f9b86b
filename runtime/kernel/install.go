package kernel

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Spec is a kernelspec's kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// Name is the kernel's name in Jupyter (jupyter kernelspec list).
const Name = "llmsam"

// InstallOptions say where and how to install the kernelspec.
type InstallOptions struct {
	User   bool   // in the user's Jupyter data directory
	Prefix string // in PREFIX/share/jupyter (a virtualenv or conda prefix)
	SVG    bool   // the kernel sends SVG with the PNG of figures cells return
	// Executable is the llmsam binary the kernelspec starts; default this
	// one. A binary of `go run` (in a temporary directory) is copied into
	// the kernelspec's directory, since go run deletes it.
	Executable string
}

// SpecDir returns the directory of the llmsam kernelspec: for User the
// user's Jupyter data directory ($JUPYTER_DATA_DIR, else
// $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter on Linux,
// ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows), for Prefix
// PREFIX/share/jupyter, otherwise the system's (/usr/local/share/jupyter,
// %PROGRAMDATA%\jupyter on Windows); plus kernels/llmsam.
func SpecDir(opt InstallOptions) (string, error) {
	var data string
	switch {
	case opt.Prefix != "":
		data = filepath.Join(opt.Prefix, "share", "jupyter")
	case opt.User:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			data = d
			break
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		switch runtime.GOOS {
		case "darwin":
			data = filepath.Join(home, "Library", "Jupyter")
		case "windows":
			data = filepath.Join(os.Getenv("APPDATA"), "jupyter")
		default:
			if x := os.Getenv("XDG_DATA_HOME"); x != "" {
				data = filepath.Join(x, "jupyter")
			} else {
				data = filepath.Join(home, ".local", "share", "jupyter")
			}
		}
	default:
		if runtime.GOOS == "windows" {
			data = filepath.Join(os.Getenv("PROGRAMDATA"), "jupyter")
		} else {
			data = "/usr/local/share/jupyter"
		}
	}
	return filepath.Join(data, "kernels", Name), nil
}

// Install writes the kernelspec and returns its directory.
func Install(opt InstallOptions) (string, error) {
	dir, err := SpecDir(opt)
	if err != nil {
		return "", err
	}
	exe := opt.Executable
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return "", fmt.Errorf("finding the llmsam binary: %w", err)
		}
	}
	if exe, err = filepath.Abs(exe); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		if !opt.User && opt.Prefix == "" {
			return "", fmt.Errorf("%w (install for your user only with --user)", err)
		}
		return "", err
	}
	if temporary(exe) {
		copied := filepath.Join(dir, "llmsam")
		if runtime.GOOS == "windows" {
			copied += ".exe"
		}
		if err := copyFile(copied, exe); err != nil {
			return "", fmt.Errorf("copying the go run binary %s into the kernelspec: %w", exe, err)
		}
		exe = copied
	}
	spec := Spec{
		Argv:          []string{exe, "kernel", "{connection_file}"},
		DisplayName:   "llmsam (Go)",
		Language:      "go",
		InterruptMode: "message",
	}
	if opt.SVG {
		spec.Argv = append(spec.Argv, "--svg")
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return "", err
	}
	return dir, nil
}

// temporary reports whether a binary lives in a directory `go run` or
// `go test` deletes.
func temporary(exe string) bool {
	return strings.Contains(exe, string(filepath.Separator)+"go-build") || strings.HasPrefix(exe, os.TempDir()+string(filepath.Separator))
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
