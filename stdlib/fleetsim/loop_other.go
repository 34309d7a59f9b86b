//go:build !linux

package fleetsim

import "errors"

// haveLoop is false where the epoll event loop does not exist: the fleet
// uses the goroutine server.
const haveLoop = false

type loop struct{}

func startLoop(*Fleet, *slots) (*loop, error) { return nil, errors.New("no event loop on this system") }
func (*loop) close()                          {}
func (*loop) faultChanged()                   {}
