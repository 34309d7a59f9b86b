// Package host is llmsam's scripting host: a yaegi interpreter with Go's
// standard library, every package of the project's stdlib, plots and the
// gonum/plot packages scripts use. It runs whole scripts (package main files
// that also run with `go run`) and notebook cells that mix declarations and
// statements, keeps source positions (file:line:col) in every error, turns
// panics, including those in goroutines a script starts, into errors, and
// cancels a running cell, down into the stdlib's loops.
//
// The stages live in their own files: cells.go splits a cell into
// declarations and statements, guard.go rewrites go statements so a panic in
// a goroutine cannot crash the host, host.go sets up the interpreter and
// runs sources, result.go decides what a cell prints.
package host
