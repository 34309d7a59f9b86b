package netw

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Array is an n-dimensional array of float64 read from or written to a
// NumPy .npy file, stored in C (row-major) order whatever the file's order.
type Array struct {
	Shape []int
	Data  []float64
}

var npyMagic = []byte("\x93NUMPY")

// ReadNPY decodes a .npy stream (format versions 1.0, 2.0 and 3.0; dtypes f8,
// f4, i8, i4, u1 and b1 in either byte order; C or Fortran order). The format
// is specified at https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
// Errors name the part of the file at fault (magic, header, descr, shape,
// data).
func ReadNPY(r io.Reader) (*Array, error) {
	br := bufio.NewReader(r)
	pre := make([]byte, 8)
	if _, err := io.ReadFull(br, pre); err != nil {
		return nil, fmt.Errorf("magic: file too short for a .npy preamble: %w", err)
	}
	if !bytes.Equal(pre[:6], npyMagic) {
		return nil, fmt.Errorf("magic: not a .npy file (want \\x93NUMPY, got %q)", pre[:6])
	}
	major := pre[6]
	var hlen int
	switch major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("header: truncated length field: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("header: truncated length field: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<24 {
			return nil, fmt.Errorf("header: length %d is implausibly large", hlen)
		}
	default:
		return nil, fmt.Errorf("magic: format version %d.%d not supported (want 1.0, 2.0 or 3.0)", major, pre[7])
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, fmt.Errorf("header: truncated: want %d bytes: %w", hlen, err)
	}
	descr, fortran, shape, err := parseNPYHeader(string(hdr))
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	order, size, kind, err := parseDescr(descr)
	if err != nil {
		return nil, fmt.Errorf("descr: %w", err)
	}
	count := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && count > math.MaxInt32/d) {
			return nil, fmt.Errorf("shape %v: dimensions out of range", shape)
		}
		count *= d
	}
	raw := make([]byte, count*size)
	if n, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("data: shape %v of %s needs %d bytes, file has %d", shape, descr, len(raw), n)
	}
	if extra, _ := br.Peek(1); len(extra) > 0 {
		return nil, fmt.Errorf("data: trailing bytes after the %d values of shape %v", count, shape)
	}
	data := make([]float64, count)
	for i := range data {
		b := raw[i*size : (i+1)*size]
		switch kind {
		case "f8":
			data[i] = math.Float64frombits(order.Uint64(b))
		case "f4":
			data[i] = float64(math.Float32frombits(order.Uint32(b)))
		case "i8":
			data[i] = float64(int64(order.Uint64(b)))
		case "i4":
			data[i] = float64(int32(order.Uint32(b)))
		case "u1":
			data[i] = float64(b[0])
		case "b1":
			if b[0] > 1 {
				return nil, fmt.Errorf("data: value %d at index %d is not a bool", b[0], i)
			}
			data[i] = float64(b[0])
		}
	}
	if fortran && len(shape) > 1 {
		data = fortranToC(data, shape)
	}
	return &Array{Shape: shape, Data: data}, nil
}

// fortranToC reorders column-major data into row-major order.
func fortranToC(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	idx := make([]int, len(shape))
	for f := range src {
		// idx is the multi-index of Fortran offset f (first axis fastest).
		c := 0
		for d := range shape {
			c = c*shape[d] + idx[d]
		}
		dst[c] = src[f]
		for d := range idx {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return dst
}

// parseNPYHeader reads the Python dict literal of a .npy header.
func parseNPYHeader(h string) (descr string, fortran bool, shape []int, err error) {
	h = strings.TrimSpace(h)
	if !strings.HasPrefix(h, "{") || !strings.HasSuffix(h, "}") {
		return "", false, nil, fmt.Errorf("want a {...} dictionary, got %q", clip(h))
	}
	body := h[1 : len(h)-1]
	seen := map[string]bool{}
	for len(strings.TrimSpace(body)) > 0 {
		body = strings.TrimSpace(body)
		key, rest, ok := cutQuoted(body)
		if !ok {
			return "", false, nil, fmt.Errorf("bad key near %q", clip(body))
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, ":") {
			return "", false, nil, fmt.Errorf("missing ':' after key %q", key)
		}
		rest = strings.TrimSpace(rest[1:])
		var val string
		if strings.HasPrefix(rest, "(") {
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return "", false, nil, fmt.Errorf("unterminated tuple for %q", key)
			}
			val, rest = rest[:end+1], rest[end+1:]
		} else if strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "\"") {
			v, r, ok := cutQuoted(rest)
			if !ok {
				return "", false, nil, fmt.Errorf("unterminated string for %q", key)
			}
			val, rest = "'"+v+"'", r
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		seen[key] = true
		switch key {
		case "descr":
			if !strings.HasPrefix(val, "'") {
				return "", false, nil, fmt.Errorf("descr %s: want a string such as '<f8' (structured dtypes are not supported)", clip(val))
			}
			descr = strings.Trim(val, "'")
		case "fortran_order":
			switch val {
			case "True":
				fortran = true
			case "False":
			default:
				return "", false, nil, fmt.Errorf("fortran_order %q: want True or False", val)
			}
		case "shape":
			if shape, err = parseShape(val); err != nil {
				return "", false, nil, err
			}
		}
		rest = strings.TrimSpace(rest)
		rest = strings.TrimPrefix(rest, ",")
		body = rest
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return "", false, nil, fmt.Errorf("missing key %q", k)
		}
	}
	return descr, fortran, shape, nil
}

func cutQuoted(s string) (val, rest string, ok bool) {
	if len(s) == 0 || (s[0] != '\'' && s[0] != '"') {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", s, false
	}
	return s[1 : 1+end], s[2+end:], true
}

func parseShape(v string) ([]int, error) {
	if len(v) < 2 || v[0] != '(' || v[len(v)-1] != ')' {
		return nil, fmt.Errorf("shape %s: want a tuple such as (101, 101)", clip(v))
	}
	inner := strings.TrimSpace(v[1 : len(v)-1])
	shape := []int{}
	for _, f := range strings.Split(inner, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("shape %s: dimension %q is not a non-negative integer", v, f)
		}
		shape = append(shape, d)
	}
	return shape, nil
}

func parseDescr(d string) (binary.ByteOrder, int, string, error) {
	if len(d) < 3 {
		return nil, 0, "", fmt.Errorf("dtype %q not supported (want f8, f4, i8, i4, u1 or b1)", d)
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch d[0] {
	case '<', '|', '=':
	case '>':
		order = binary.BigEndian
	default:
		return nil, 0, "", fmt.Errorf("dtype %q: unknown byte order %q", d, d[0])
	}
	kind := d[1:]
	sizes := map[string]int{"f8": 8, "f4": 4, "i8": 8, "i4": 4, "u1": 1, "b1": 1}
	size, ok := sizes[kind]
	if !ok {
		return nil, 0, "", fmt.Errorf("dtype %q not supported (want f8, f4, i8, i4, u1 or b1)", d)
	}
	return order, size, kind, nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// WriteNPY encodes a as a version 1.0 .npy stream of little-endian float64 in
// C order, the format numpy.save writes for a float array.
func WriteNPY(w io.Writer, a *Array) error {
	count := 1
	for _, d := range a.Shape {
		count *= d
	}
	if count != len(a.Data) {
		return fmt.Errorf("WriteNPY: shape %v holds %d values, data has %d", a.Shape, count, len(a.Data))
	}
	dims := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = strconv.Itoa(d)
	}
	shape := strings.Join(dims, ", ")
	if len(a.Shape) == 1 {
		shape += ","
	}
	hdr := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }", shape)
	total := 10 + len(hdr) + 1
	pad := (64 - total%64) % 64
	hdr += strings.Repeat(" ", pad) + "\n"
	buf := bufio.NewWriter(w)
	buf.Write(npyMagic)
	buf.Write([]byte{1, 0})
	binary.Write(buf, binary.LittleEndian, uint16(len(hdr)))
	buf.WriteString(hdr)
	var b [8]byte
	for _, x := range a.Data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
		buf.Write(b[:])
	}
	return buf.Flush()
}

// LoadNPY reads a .npy file; errors start with the file's path.
func LoadNPY(path string) (*Array, error) { return readFile(path, ReadNPY) }

// Network converts the array into a network: a 2-D n x n array is one
// adjacency matrix (a *Graph), a 3-D T x n x n array is one adjacency matrix
// per step (Snapshots), the layout of the release's BA_dynamic.npy. Unless
// directed, each matrix must be symmetric; diagonals must be zero.
func (a *Array) Network(directed bool) (Network, error) {
	switch len(a.Shape) {
	case 2:
		if a.Shape[0] != a.Shape[1] {
			return nil, fmt.Errorf("shape %v: an adjacency matrix must be square", a.Shape)
		}
		return FromDense(a.Shape[0], a.Data, directed)
	case 3:
		if a.Shape[1] != a.Shape[2] {
			return nil, fmt.Errorf("shape %v: each adjacency slice must be square", a.Shape)
		}
		if a.Shape[0] == 0 {
			return nil, fmt.Errorf("shape %v: no snapshots", a.Shape)
		}
		n := a.Shape[1]
		s := make(Snapshots, a.Shape[0])
		for t := range s {
			g, err := FromDense(n, a.Data[t*n*n:(t+1)*n*n], directed)
			if err != nil {
				return nil, fmt.Errorf("slice %d: %w", t, err)
			}
			s[t] = g
		}
		return s, nil
	}
	return nil, fmt.Errorf("shape %v: want a 2-D adjacency matrix or a 3-D stack of them", a.Shape)
}

// LoadNetwork reads an undirected network from a .npy adjacency file (2-D for
// a static graph, 3-D for one snapshot per step). Errors name the file.
func LoadNetwork(path string) (Network, error) {
	a, err := LoadNPY(path)
	if err != nil {
		return nil, err
	}
	nw, err := a.Network(false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nw, nil
}

// SaveNetwork writes a network as a .npy adjacency file: 2-D for a *Graph,
// 3-D for Snapshots.
func SaveNetwork(path string, nw Network) error {
	var a *Array
	switch v := nw.(type) {
	case *Graph:
		a = &Array{Shape: []int{v.N(), v.N()}, Data: v.Dense()}
	case Snapshots:
		n := v.N()
		a = &Array{Shape: []int{len(v), n, n}}
		for _, g := range v {
			a.Data = append(a.Data, g.Dense()...)
		}
	default:
		return fmt.Errorf("SaveNetwork: unsupported network type %T", nw)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := WriteNPY(f, a); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
