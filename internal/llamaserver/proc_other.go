//go:build !linux

package llamaserver

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
