// Package kernel is llmsam's Jupyter kernel: it speaks the Jupyter messaging
// protocol (version 5.3) over ZeroMQ (github.com/go-zeromq/zmq4, pure Go) on
// the shell, control, IOPub, stdin and heartbeat channels of a connection
// file, signs and checks every message with HMAC-SHA256, and runs cells with
// runtime/jupyter's executor: execute, complete, inspect, is_complete,
// history, comm_info, kernel_info, interrupt (a message on the control
// channel or SIGINT) and shutdown. install.go writes the kernelspec Jupyter
// finds the kernel by.
package kernel
