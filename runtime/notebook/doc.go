// Package notebook runs a Markdown file as a reproducible report: its ```go
// code blocks execute in order in one scripting host (with the simulation
// packages preloaded, as in the REPL), and the output file repeats the
// Markdown with each block's output and the figures it saved embedded
// after it, as Markdown or as a standalone HTML page.
package notebook
