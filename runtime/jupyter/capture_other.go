//go:build !unix

package jupyter

import (
	"fmt"
	"io"
)

func startCapture(stdout, stderr io.Writer) (*capture, error) {
	return nil, fmt.Errorf("capturing the process's output is not supported on this system")
}
