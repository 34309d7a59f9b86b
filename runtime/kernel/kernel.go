package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/go-zeromq/zmq4"

	"github.com/llmsam/llmsam/runtime/jupyter"
)

// Options configure a kernel.
type Options struct {
	SVG bool      // send figures a cell returns as SVG too
	Log io.Writer // the kernel's own messages (Jupyter's server log); default the process's stderr
}

// Kernel is a running kernel: its sockets and the executor its cells run in.
type Kernel struct {
	opt     Options
	sign    signer
	session string
	exec    *jupyter.Executor

	shell, control, stdin, iopub, hb zmq4.Socket
	iopubMu                          sync.Mutex

	mu       sync.Mutex
	cancel   context.CancelFunc // of the running cell
	shutdown chan struct{}
	once     sync.Once
	queue    chan *Message // shell requests, in order
}

// Run serves the kernel described by the connection file until a shutdown
// request, a SIGTERM or ctx ends it. SIGINT interrupts the running cell.
func Run(ctx context.Context, connectionFile string, opt Options) error {
	conn, err := ReadConnection(connectionFile)
	if err != nil {
		return err
	}
	// The kernel process exists to run cells: everything it prints goes to
	// the notebook, and its own messages to its stderr from before.
	exec, err := jupyter.New(jupyter.Options{Args: []string{"kernel"}, SVG: opt.SVG, CaptureProcess: true})
	if err != nil {
		return err
	}
	defer exec.Close()
	if opt.Log == nil {
		opt.Log = exec.Log()
	}
	k := &Kernel{opt: opt, sign: signer{key: []byte(conn.Key)}, session: newID(), exec: exec,
		shutdown: make(chan struct{}), queue: make(chan *Message, 256)}

	zctx, stop := context.WithCancel(context.Background())
	defer stop()
	k.shell, k.control, k.stdin = zmq4.NewRouter(zctx), zmq4.NewRouter(zctx), zmq4.NewRouter(zctx)
	k.iopub, k.hb = zmq4.NewPub(zctx), zmq4.NewRep(zctx)
	for _, s := range []struct {
		name string
		sck  zmq4.Socket
		port int
	}{{"shell", k.shell, conn.ShellPort}, {"control", k.control, conn.ControlPort}, {"stdin", k.stdin, conn.StdinPort},
		{"iopub", k.iopub, conn.IOPubPort}, {"heartbeat", k.hb, conn.HBPort}} {
		defer s.sck.Close()
		if err := s.sck.Listen(conn.endpoint(s.port)); err != nil {
			return fmt.Errorf("kernel: %s channel on %s: %w", s.name, conn.endpoint(s.port), err)
		}
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			if s == os.Interrupt {
				k.interrupt()
				continue
			}
			k.stop()
		}
	}()

	go k.heartbeat()
	go k.receive(k.shell, "shell", func(m *Message) { k.queue <- m })
	go k.receive(k.control, "control", func(m *Message) { k.handle(k.control, m) })
	go k.receive(k.stdin, "stdin", func(*Message) {}) // input is not requested: stdin reads end of file
	go k.serveShell()
	k.publish(nil, "status", map[string]any{"execution_state": "starting"})
	select {
	case <-k.shutdown:
	case <-ctx.Done():
	}
	k.interrupt()
	return nil
}

func (k *Kernel) logf(format string, args ...any) {
	fmt.Fprintf(k.opt.Log, "llmsam kernel: "+format+"\n", args...)
}

// stop ends Run.
func (k *Kernel) stop() { k.once.Do(func() { close(k.shutdown) }) }

// interrupt cancels the running cell, if any.
func (k *Kernel) interrupt() {
	k.mu.Lock()
	cancel := k.cancel
	k.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// heartbeat echoes every ping.
func (k *Kernel) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			return
		}
		if err := k.hb.Send(msg); err != nil {
			return
		}
	}
}

// receive reads a router socket's messages, checks them and hands them on.
func (k *Kernel) receive(sck zmq4.Socket, name string, handle func(*Message)) {
	for {
		raw, err := sck.Recv()
		if err != nil {
			select {
			case <-k.shutdown:
			default:
				if !errors.Is(err, context.Canceled) {
					k.logf("%s channel: %v", name, err)
				}
			}
			return
		}
		m, err := k.sign.decode(raw.Frames)
		if err != nil {
			k.logf("%s channel: dropped a %v", name, err)
			continue
		}
		handle(m)
	}
}

// serveShell handles shell requests one at a time, in order.
func (k *Kernel) serveShell() {
	for {
		select {
		case m := <-k.queue:
			k.handle(k.shell, m)
		case <-k.shutdown:
			return
		}
	}
}

// reply sends a reply to a request on the socket it came from.
func (k *Kernel) reply(sck zmq4.Socket, req *Message, msgType string, content any) {
	frames, err := k.sign.encode(k.session, req.Identities, req, msgType, content)
	if err == nil {
		err = sck.SendMulti(zmq4.NewMsgFrom(frames...))
	}
	if err != nil {
		k.logf("sending %s: %v", msgType, err)
	}
}

// publish sends a message on IOPub, to every frontend.
func (k *Kernel) publish(parent *Message, msgType string, content any) {
	frames, err := k.sign.encode(k.session, [][]byte{[]byte("kernel." + k.session + "." + msgType)}, parent, msgType, content)
	if err != nil {
		k.logf("encoding %s: %v", msgType, err)
		return
	}
	k.iopubMu.Lock()
	defer k.iopubMu.Unlock()
	if err := k.iopub.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.logf("publishing %s: %v", msgType, err)
	}
}

// output publishes a cell's output.
func (k *Kernel) output(parent *Message, o jupyter.Output) {
	k.publish(parent, o.Type, o.Content())
}

func unmarshal(m *Message, v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("%s: content: %w", m.Header.MsgType, err)
	}
	return nil
}
