package history

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// Manifest says how a run was obtained. It holds no timestamps or host
// names, so the same run writes the same manifest.
type Manifest struct {
	Name        string            `json:"name"`
	Tool        string            `json:"tool"`
	Version     string            `json:"version"`
	Commit      string            `json:"commit,omitempty"`   // the source's git commit, when known
	Modified    bool              `json:"modified,omitempty"` // the source tree had uncommitted changes
	GoVersion   string            `json:"go_version"`
	Scenario    string            `json:"scenario,omitempty"`
	Model       string            `json:"model"`
	ModelParams any               `json:"model_params"`
	Network     NetworkInfo       `json:"network"`
	Agents      int               `json:"agents"`
	Steps       int               `json:"steps"`
	Replicates  int               `json:"replicates"`
	Seed        uint64            `json:"seed"`
	Seeds       []uint64          `json:"seeds"`
	Schedule    []RoundInfo       `json:"schedule,omitempty"`
	Committed   []Commit          `json:"committed,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	// Inputs are the files the run read (a network's .npy, a population's
	// CSVs), by path and content hash, so that the run can be traced to
	// them; see Inputs.
	Inputs []InputFile `json:"inputs,omitempty"`
	// Error says why the run stopped before it did what it was asked (an
	// endpoint that failed, a spent fallback budget, Ctrl-C); empty for a
	// complete run. A run directory with an error keeps what finished, and
	// Load refuses it, so that no analysis takes it for a result.
	Error string `json:"error,omitempty"`
}

// NetworkInfo describes the network of a run.
type NetworkInfo struct {
	Description string `json:"description"`
	Nodes       int    `json:"nodes"`
	Edges       int    `json:"edges"`
	Snapshots   int    `json:"snapshots,omitempty"` // > 0 for dynamic networks
}

// RoundInfo is the round used at one step.
type RoundInfo struct {
	Step     int     `json:"step"`
	Name     string  `json:"name"`
	Strength float64 `json:"strength"`
	FreeChat bool    `json:"free_chat,omitempty"`
}

// Commit fixes one agent's opinion and action for the whole run: a committed
// agent, influencer or dominant agent inside the network.
type Commit struct {
	Agent   int     `json:"agent"`
	Opinion float64 `json:"opinion"`
	Action  uint8   `json:"action"`
}

// Version returns the llmsam module version recorded in the binary's build
// information ("(devel)" when built from a source checkout).
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == "github.com/llmsam/llmsam" && bi.Main.Version != "" {
			return bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/llmsam/llmsam" {
				return d.Version
			}
		}
	}
	return "(devel)"
}

// GoVersion returns the Go version the binary was built with.
func GoVersion() string { return runtime.Version() }

// InputFile is a file a run read: what it was for (Role: "network",
// "population", ...), its path as given and the SHA-256 of its content.
type InputFile struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Inputs hashes the files at paths, read for role, for a manifest's Inputs.
func Inputs(role string, paths ...string) ([]InputFile, error) {
	var out []InputFile
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, InputFile{Role: role, Path: p, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	return out, nil
}
