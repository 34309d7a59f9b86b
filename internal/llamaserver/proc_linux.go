package llamaserver

import "syscall"

// sysProcAttr has the kernel kill the server when the test process dies,
// so that no server outlives a killed test.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
