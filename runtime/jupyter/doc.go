// Package jupyter is what a notebook cell produces, in Jupyter's terms: it
// runs cells in a scripting host and reports their output as Jupyter
// outputs (stdout and stderr streams, the last expression as an
// execute_result, figures as image/png display data, progress of long runs
// as a display that is updated in place, errors with their cell position and
// a traceback). The Jupyter kernel (runtime/kernel) sends these outputs over
// the wire; the .ipynb runner (runtime/notebook) writes them into the
// notebook file. Nothing here knows about terminals.
package jupyter
