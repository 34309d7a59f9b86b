package netw

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/refdata"
)

// npyBytes hand-builds a .npy stream with the given header and payload.
func npyBytes(major byte, header string, payload []byte) []byte {
	var b bytes.Buffer
	b.Write(npyMagic)
	b.Write([]byte{major, 0})
	if major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	}
	b.WriteString(header)
	b.Write(payload)
	return b.Bytes()
}

func TestNPYRoundTrip(t *testing.T) {
	g, _ := BarabasiAlbert(30, 3, 1)
	var buf bytes.Buffer
	if err := WriteNPY(&buf, &Array{Shape: []int{30, 30}, Data: g.Dense()}); err != nil {
		t.Fatal(err)
	}
	// numpy pads the header so that the data starts on a 64-byte boundary.
	if (10+int(binary.LittleEndian.Uint16(buf.Bytes()[8:10])))%64 != 0 {
		t.Fatal("header not padded to 64 bytes")
	}
	a, err := ReadNPY(&buf)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := a.Network(false)
	if err != nil {
		t.Fatal(err)
	}
	h := nw.(*Graph)
	if h.Edges() != g.Edges() || len(h.EdgeList()) != len(g.EdgeList()) {
		t.Fatalf("round trip: %v vs %v", h, g)
	}
}

func TestNPYDtypesAndOrders(t *testing.T) {
	// The 2x3 matrix [[1,2,3],[4,5,6]] in every supported dtype.
	want := []float64{1, 2, 3, 4, 5, 6}
	enc := map[string]func(x float64) []byte{
		"<f8": func(x float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)) },
		">f8": func(x float64) []byte { return binary.BigEndian.AppendUint64(nil, math.Float64bits(x)) },
		"<f4": func(x float64) []byte { return binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(x))) },
		"<i8": func(x float64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(int64(x))) },
		"<i4": func(x float64) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(int32(x))) },
		"|u1": func(x float64) []byte { return []byte{byte(x)} },
	}
	for descr, f := range enc {
		for _, major := range []byte{1, 2, 3} {
			var c, fo []byte
			for _, x := range want {
				c = append(c, f(x)...)
			}
			for _, x := range []float64{1, 4, 2, 5, 3, 6} { // column-major
				fo = append(fo, f(x)...)
			}
			for _, tc := range []struct {
				order   string
				payload []byte
			}{{"False", c}, {"True", fo}} {
				h := "{'descr': '" + descr + "', 'fortran_order': " + tc.order + ", 'shape': (2, 3), }\n"
				a, err := ReadNPY(bytes.NewReader(npyBytes(major, h, tc.payload)))
				if err != nil {
					t.Fatalf("%s v%d fortran=%s: %v", descr, major, tc.order, err)
				}
				for i := range want {
					if a.Data[i] != want[i] {
						t.Fatalf("%s v%d fortran=%s: data %v, want %v", descr, major, tc.order, a.Data, want)
					}
				}
			}
		}
	}
	a, err := ReadNPY(bytes.NewReader(npyBytes(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", []byte{1, 0})))
	if err != nil || a.Data[0] != 1 || a.Data[1] != 0 {
		t.Fatalf("b1: %v %v", a, err)
	}
}

func TestNPYMalformed(t *testing.T) {
	f8 := func(xs ...float64) []byte {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	cases := []struct {
		name, want string
		data       []byte
		network    bool
	}{
		{"bad magic", "magic", []byte("PK\x03\x04 not numpy"), false},
		{"truncated header", "header: truncated", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", nil)[:30], false},
		{"wrong dtype", "dtype \"<c16\" not supported", npyBytes(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)), false},
		{"missing shape", "missing key \"shape\"", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, }", nil), false},
		{"short data", "data: shape [2 2]", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f8(0, 1, 1)), false},
		{"non-square", "must be square", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f8(0, 1, 0, 1, 0, 0)), true},
		{"asymmetric", "entry (0,1) = 1 but (1,0) = 0", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f8(0, 1, 0, 0)), true},
		{"1-D", "want a 2-D adjacency", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", f8(0, 1, 1, 0)), true},
	}
	for _, tc := range cases {
		a, err := ReadNPY(bytes.NewReader(tc.data))
		if err == nil && tc.network {
			_, err = a.Network(false)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestReferenceAdjacency(t *testing.T) {
	cases := []struct {
		file                 string
		n, edges, dmin, dmax int
		dmean                float64
	}{
		{"BA.npy", 101, 910, 10, 63, 18.02},
		{"BA_50.npy", 50, 225, 3, 32, 9.0},
	}
	for _, tc := range cases {
		path := refdata.Path(t, "adj_mat", tc.file)
		nw, err := LoadNetwork(path)
		if err != nil {
			t.Fatal(err)
		}
		g := nw.(*Graph)
		ds := DegreeStats(g)
		if g.N() != tc.n || g.Edges() != tc.edges || ds.Min != tc.dmin || ds.Max != tc.dmax || math.Abs(ds.Mean-tc.dmean) > 0.005 {
			t.Errorf("%s: %v, degrees %+v; want %d nodes, %d edges, %d/%.2f/%d", tc.file, g, ds, tc.n, tc.edges, tc.dmin, tc.dmean, tc.dmax)
		}
		if !Connected(g) {
			t.Errorf("%s: not connected", tc.file)
		}
		if tc.file == "BA.npy" && g.Degree(0) != tc.dmax {
			t.Errorf("BA.npy: node 0 has degree %d, want the hub's %d", g.Degree(0), tc.dmax)
		}
	}
	dyn, err := LoadNetwork(refdata.Path(t, "adj_mat", "BA_dynamic.npy"))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := dyn.(Snapshots)
	if !ok || len(s) != 10 || s.N() != 50 {
		t.Fatalf("BA_dynamic.npy: %T with %d nodes, want 10 snapshots of 50", dyn, dyn.N())
	}
	base, _ := LoadNetwork(refdata.Path(t, "adj_mat", "BA_50.npy"))
	for i, g := range s {
		if g.Edges() != 225 {
			t.Errorf("slice %d: %d edges, want 225", i, g.Edges())
		}
		ref := base.(*Graph)
		if i > 0 {
			ref = s[i-1]
		}
		moved := 0
		for _, e := range ref.EdgeList() {
			if !g.HasEdge(e.U, e.V) {
				moved++
			}
		}
		if (i == 0 && moved != 0) || (i > 0 && (moved < 9 || moved > 10)) {
			t.Errorf("slice %d: %d edges differ from the previous one (slice 0 must equal BA_50, later 9-10)", i, moved)
		}
	}
}

// TestReferenceAdjacencyCorrupted damages copies of the real files and checks
// each error names the problem.
func TestReferenceAdjacencyCorrupted(t *testing.T) {
	raw, err := os.ReadFile(refdata.Path(t, "adj_mat", "BA_50.npy"))
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(binary.LittleEndian.Uint16(raw[8:10]))
	header := string(raw[10 : 10+hlen])
	replace := func(old, new string) []byte {
		h := strings.Replace(header, old, new, 1)
		h = h[:len(h)-1]
		for len(h) < hlen-1 {
			h += " "
		}
		return npyBytes(1, h[:hlen-1]+"\n", raw[10+hlen:])
	}
	asym := bytes.Clone(raw)
	// set entry (0, 49) to 1 only on one side (assuming node 0 and 49 are not linked, flip it)
	off := 10 + hlen + 8*49
	if binary.LittleEndian.Uint64(asym[off:]) == 0 {
		binary.LittleEndian.PutUint64(asym[off:], math.Float64bits(1))
	} else {
		binary.LittleEndian.PutUint64(asym[off:], 0)
	}
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"truncated header", "header: truncated", raw[:40]},
		{"wrong dtype", "dtype \"<c8\" not supported", replace("<f8", "<c8")},
		{"non-square", "must be square", replace("(50, 50)", "(25, 100)")},
		{"asymmetric", "must be symmetric", asym},
		{"truncated data", "data:", raw[:len(raw)-8]},
	}
	for _, tc := range cases {
		a, err := ReadNPY(bytes.NewReader(tc.data))
		if err == nil {
			_, err = a.Network(false)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestEdgeListAndCSV(t *testing.T) {
	g, err := ReadEdgeList(strings.NewReader("# a triangle\n0 1\n1,2\n\n2 0\n"), 0, false)
	if err != nil || g.N() != 3 || g.Edges() != 3 {
		t.Fatalf("edge list: %v %v", g, err)
	}
	var buf bytes.Buffer
	WriteEdgeList(&buf, g)
	if buf.String() != "0 1\n0 2\n1 2\n" {
		t.Fatalf("written edge list %q", buf.String())
	}
	if _, err := ReadEdgeList(strings.NewReader("0 1\n1 x\n"), 0, false); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad edge list error %v, want line 2", err)
	}
	buf.Reset()
	WriteCSVMatrix(&buf, g)
	h, err := ReadCSVMatrix(&buf, false)
	if err != nil || h.Edges() != 3 {
		t.Fatalf("CSV matrix round trip: %v %v", h, err)
	}
	if _, err := ReadCSVMatrix(strings.NewReader("0,1\n1,zero\n"), false); err == nil || !strings.Contains(err.Error(), "line 2 column 2") {
		t.Fatalf("bad CSV error %v, want line 2 column 2", err)
	}
}

// FuzzReadNPY checks that no input makes the reader panic and that whatever
// it accepts converts to a network or fails with an error.
func FuzzReadNPY(f *testing.F) {
	for _, name := range []string{"BA_50.npy", "BA.npy"} {
		if dir := refdata.Dir(); dir != "" {
			if b, err := os.ReadFile(dir + "/adj_mat/" + name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add(npyBytes(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }\n", make([]byte, 32)))
	f.Add(npyBytes(3, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2), }\n", []byte{0, 1, 1, 0}))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadNPY(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != len(a.Data) {
			t.Fatalf("shape %v but %d values", a.Shape, len(a.Data))
		}
		a.Network(false)
	})
}
