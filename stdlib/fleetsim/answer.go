package fleetsim

import (
	"bytes"
	"hash/fnv"
	"math"
	"strconv"
)

var thoughts = []string{
	"What my friends say weighs on me, but the costs still matter.",
	"I see the benefits and I am ready to try it.",
	"It sounds useful, though I am not sure it is worth the price.",
	"Most people around me seem to agree, so I lean the same way.",
	"I prefer to keep things as they are for now.",
}

// answer appends the response to a completion request body.
func answer(dst, body []byte, chat bool, id int64) []byte {
	f := scanFields(body)
	n := 1
	if v, ok := intAt(body, f.n); ok && v > 1 {
		n = int(min(v, 128))
	}
	seed, ok := intAt(body, f.seed)
	if !ok {
		h := fnv.New64a()
		h.Write(body)
		seed = int64(h.Sum64())
	}
	mean, lambda := readPrompt(body, f.user)
	dst = append(dst, `{"id":"fs-`...)
	dst = strconv.AppendInt(dst, id, 10)
	if chat {
		dst = append(dst, `","object":"chat.completion","created":1700000000,"model":`...)
	} else {
		dst = append(dst, `","object":"text_completion","created":1700000000,"model":`...)
	}
	dst = append(dst, model(body, f.model)...)
	dst = append(dst, `,"choices":[`...)
	completion := 0
	for k := range n {
		s := mix(uint64(seed) + uint64(k)*0x9e3779b97f4a7c15)
		u1 := float64(s>>11) / (1 << 53)
		s2 := mix(s)
		u2 := float64(s2>>11) / (1 << 53)
		o := int(math.Round(mean + 3*u1 - 1.5))
		o = max(0, min(10, o))
		yes := float64(o)/10+0.2*(u2-0.5) > lambda
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"index":`...)
		dst = strconv.AppendInt(dst, int64(k), 10)
		if chat {
			dst = append(dst, `,"message":{"role":"assistant","content":"`...)
		} else {
			dst = append(dst, `,"text":"`...)
		}
		start := len(dst)
		dst = append(dst, `{\"thought\": \"`...)
		dst = append(dst, thoughts[s2%uint64(len(thoughts))]...)
		dst = append(dst, `\", \"opinion\": `...)
		dst = strconv.AppendInt(dst, int64(o), 10)
		if yes {
			dst = append(dst, `, \"decision\": \"Yes\"}`...)
		} else {
			dst = append(dst, `, \"decision\": \"No\"}`...)
		}
		completion += (len(dst) - start) / 4
		if chat {
			dst = append(dst, `"},"finish_reason":"stop"}`...)
		} else {
			dst = append(dst, `","finish_reason":"stop"}`...)
		}
	}
	prompt := len(body) / 4
	dst = append(dst, `],"usage":{"prompt_tokens":`...)
	dst = strconv.AppendInt(dst, int64(prompt), 10)
	dst = append(dst, `,"completion_tokens":`...)
	dst = strconv.AppendInt(dst, int64(completion), 10)
	dst = append(dst, `,"total_tokens":`...)
	dst = strconv.AppendInt(dst, int64(prompt+completion), 10)
	return append(dst, "}}"...)
}

// fields are where answer's inputs start in a body: the value after the
// first "model":, "seed": and "n": (-1 when absent), and the last
// "role":"user" (-1 when absent).
type fields struct{ model, seed, n, user int }

// scanFields finds the fields in one pass over the body's colons. Inside
// JSON strings quotes are escaped, so a key such as "n": cannot match there,
// and every match of a pattern holding a colon is found at its colon: this
// finds what bytes.Index (bytes.LastIndex for the user message) would, with
// one IndexByte per colon instead of a scan per pattern.
func scanFields(body []byte) fields {
	f := fields{-1, -1, -1, -1}
	for p := 0; ; p++ {
		i := bytes.IndexByte(body[p:], ':')
		if i < 0 {
			return f
		}
		p += i
		if p == 0 || body[p-1] != '"' {
			continue // every pattern has a quote before its colon
		}
		before := body[:p]
		switch {
		case f.n < 0 && bytes.HasSuffix(before, []byte(`"n"`)):
			f.n = p + 1
		case f.seed < 0 && bytes.HasSuffix(before, []byte(`"seed"`)):
			f.seed = p + 1
		case f.model < 0 && bytes.HasSuffix(before, []byte(`"model"`)):
			f.model = p + 1
		case bytes.HasSuffix(before, []byte(`"role"`)) && bytes.HasPrefix(body[p+1:], []byte(`"user"`)):
			f.user = p - len(`"role"`)
		}
	}
}

// model returns the request's "model" value as sent (a JSON string); at is
// where the value starts (-1: no "model" field).
func model(body []byte, at int) []byte {
	if at < 0 {
		return []byte(`"sim"`)
	}
	rest := bytes.TrimLeft(body[at:], " ")
	if len(rest) == 0 || rest[0] != '"' {
		return []byte(`"sim"`)
	}
	for j := 1; j < len(rest); j++ {
		switch rest[j] {
		case '\\':
			j++
		case '"':
			return rest[:j+1]
		}
	}
	return []byte(`"sim"`)
}

// intAt reads the integer that starts at body[at:] after spaces (at < 0:
// the field is absent).
func intAt(body []byte, at int) (int64, bool) {
	if at < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(body[at:], " ")
	j := 0
	if j < len(rest) && rest[j] == '-' {
		j++
	}
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j > 0 && j <= 18 && rest[0] != '-' {
		v := int64(0)
		for _, c := range rest[:j] {
			v = v*10 + int64(c-'0')
		}
		return v, true
	}
	v, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return v, err == nil
}

// readPrompt returns the weighted mean of the opinions the agent's own part
// of the prompt mentions (5 when none) and the lambda it gives (0.5 when
// absent); user is where the last user message starts (-1: none).
func readPrompt(body []byte, user int) (mean, lambda float64) {
	// Only the agent's own part counts: the user message in chat mode, the
	// text from "# Who you are" in completion mode (the shared part holds
	// the worked examples' coefficients and the answer format's example
	// opinions).
	from := user
	if from < 0 {
		from = max(0, bytes.Index(body, []byte("# Who you are")))
	}
	lambda = 0.5
	if i := indexLambda(body[from:]); i >= 0 {
		rest := body[from+i+len("lambda = "):]
		j, dots := 0, 0
		for j < len(rest) && (rest[j] == '.' || rest[j] >= '0' && rest[j] <= '9') {
			if rest[j] == '.' {
				dots++
			}
			j++
		}
		if j > 0 && rest[j-1] == '.' { // "0.6." at the end of a sentence
			j, dots = j-1, dots-1
		}
		// Digits with at most one point are what ParseFloat accepts here:
		// checked first, so that a rejection does not allocate an error.
		if dots <= 1 && j > dots {
			if v, err := strconv.ParseFloat(string(rest[:j]), 64); err == nil {
				lambda = v
			}
		}
	}
	sum, weight := addOpinions(body, from)
	if weight == 0 {
		return 5, lambda
	}
	return sum / weight, lambda
}

// indexLambda is bytes.Index(body, "lambda = "), found at its '=' (a rare
// byte in prompts).
func indexLambda(body []byte) int {
	const pat = "lambda = "
	for p := 0; ; p++ {
		i := bytes.IndexByte(body[p:], '=')
		if i < 0 {
			return -1
		}
		p += i
		if p >= 7 && string(body[p-7:p]) == "lambda " && p+1 < len(body) && body[p+1] == ' ' {
			return p - 7
		}
	}
}

// opinion is one opinion a prompt mentions and its weight.
type opinion struct{ v, w float64 }

// addOpinions returns the sum of the weighted opinions from body[from:]
// and their weight: first those written "opinion V", then those written
// "opinion\": V", each kind in order (the order of the additions fixes
// the rounding). One pass finds both at their 'p'.
func addOpinions(body []byte, from int) (sum, weight float64) {
	var quoted [64]opinion
	nq := 0
	for p := from + 1; p < len(body); p++ {
		i := bytes.IndexByte(body[p:], 'p')
		if i < 0 {
			break
		}
		p += i
		at := p - 1
		if body[at] != 'o' || !bytes.HasPrefix(body[p+1:], []byte("inion")) {
			continue
		}
		off := p + 6
		isQuoted := false
		switch {
		case off < len(body) && body[off] == ' ':
			off++
		case bytes.HasPrefix(body[off:], []byte(`\": `)):
			off += len(`\": `)
			isQuoted = true
		default:
			continue
		}
		j := off
		for j < len(body) && body[j] >= '0' && body[j] <= '9' {
			j++
		}
		if j == off || j-off > 2 {
			continue
		}
		v := int(body[off] - '0')
		if j-off == 2 {
			v = 10*v + int(body[off+1]-'0')
		}
		w := weightOf(body, at)
		if isQuoted {
			if nq < len(quoted) {
				quoted[nq] = opinion{float64(v), w}
			}
			nq++
			continue
		}
		sum += w * float64(v)
		weight += w
	}
	if nq > len(quoted) {
		return addQuoted(body, from, sum, weight)
	}
	for _, o := range quoted[:nq] {
		sum += o.w * o.v
		weight += o.w
	}
	return sum, weight
}

// addQuoted adds the opinions written "opinion\": V" from body[from:] in
// order, for prompts with more of them than addOpinions keeps.
func addQuoted(body []byte, from int, sum, weight float64) (float64, float64) {
	const pat = `opinion\": `
	for off := from; ; {
		i := bytes.Index(body[off:], []byte(pat))
		if i < 0 {
			return sum, weight
		}
		at := off + i
		off = at + len(pat)
		j := off
		for j < len(body) && body[j] >= '0' && body[j] <= '9' {
			j++
		}
		if j == off || j-off > 2 {
			continue
		}
		v := atoi(body[off:j])
		w := weightOf(body, at)
		sum += w * float64(v)
		weight += w
	}
}

// weightOf is the weight of the opinion mentioned at body[at]: K on a line
// "- K of them: opinion V" (or "- K% of them"), else 1. Lines are
// separated by an escaped newline (\n) in the JSON body.
func weightOf(body []byte, at int) float64 {
	ls := at - 2
	for ls >= 0 && (body[ls] != '\\' || body[ls+1] != 'n') {
		ls--
	}
	line := body[:at]
	if ls >= 0 {
		line = body[ls+2 : at]
	}
	if !bytes.HasPrefix(line, []byte("- ")) {
		return 1
	}
	k := 2
	for k < len(line) && line[k] >= '0' && line[k] <= '9' {
		k++
	}
	rest := line[k:]
	if len(rest) > 0 && rest[0] == '%' {
		rest = rest[1:]
	}
	if k > 2 && bytes.HasPrefix(rest, []byte(" of them")) {
		return float64(atoi(line[2:k]))
	}
	return 1
}

// atoi is strconv.Atoi's value for a run of digits (clamped when out of
// range), without allocating for the short ones.
func atoi(b []byte) int {
	if len(b) <= 18 {
		v := 0
		for _, c := range b {
			v = 10*v + int(c-'0')
		}
		return v
	}
	v, _ := strconv.Atoi(string(b))
	return v
}

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
