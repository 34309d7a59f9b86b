// Package repl is llmsam's interactive prompt: Go typed a cell at a time
// into the scripting host, with the simulation packages preloaded, line
// editing and history (liner), Tab completion of package members, local
// names and commands, multi-line input that continues while the code is
// incomplete, Ctrl-C to cancel a running cell, and figures announced (and
// shown inline on kitty and iTerm2 terminals).
package repl
