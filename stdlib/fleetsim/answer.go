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
	n := 1
	if v, ok := intField(body, `"n":`); ok && v > 1 {
		n = int(min(v, 128))
	}
	seed, ok := intField(body, `"seed":`)
	if !ok {
		h := fnv.New64a()
		h.Write(body)
		seed = int64(h.Sum64())
	}
	mean, lambda := readPrompt(body)
	dst = append(dst, `{"id":"fs-`...)
	dst = strconv.AppendInt(dst, id, 10)
	if chat {
		dst = append(dst, `","object":"chat.completion","created":1700000000,"model":`...)
	} else {
		dst = append(dst, `","object":"text_completion","created":1700000000,"model":`...)
	}
	dst = append(dst, model(body)...)
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

// model returns the request's "model" value as sent (a JSON string).
func model(body []byte) []byte {
	i := bytes.Index(body, []byte(`"model":`))
	if i < 0 {
		return []byte(`"sim"`)
	}
	rest := bytes.TrimLeft(body[i+len(`"model":`):], " ")
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

// intField reads the integer after key (a top-level field such as `"n":`;
// inside JSON strings quotes are escaped, so key cannot match there).
func intField(body []byte, key string) (int64, bool) {
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(body[i+len(key):], " ")
	j := 0
	if j < len(rest) && rest[j] == '-' {
		j++
	}
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	v, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return v, err == nil
}

// readPrompt returns the weighted mean of the opinions the prompt mentions
// (5 when none) and its lambda (0.5 when absent).
func readPrompt(body []byte) (mean, lambda float64) {
	lambda = 0.5
	if i := bytes.Index(body, []byte("lambda = ")); i >= 0 {
		rest := body[i+len("lambda = "):]
		j := 0
		for j < len(rest) && (rest[j] == '.' || rest[j] >= '0' && rest[j] <= '9') {
			j++
		}
		if v, err := strconv.ParseFloat(string(rest[:j]), 64); err == nil {
			lambda = v
		}
	}
	// Only the agent's own part counts: the user message in chat mode, the
	// text from "# Who you are" in completion mode (the shared part holds
	// the answer format's example opinions).
	from := bytes.LastIndex(body, []byte(`"role":"user"`))
	if from < 0 {
		from = max(0, bytes.Index(body, []byte("# Who you are")))
	}
	sum, weight := 0.0, 0.0
	for _, pat := range [][]byte{[]byte("opinion "), []byte(`opinion\": `)} {
		for off := from; ; {
			i := bytes.Index(body[off:], pat)
			if i < 0 {
				break
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
			v, _ := strconv.Atoi(string(body[off:j]))
			w := 1.0
			// "- K of them: opinion V" (or "- K% of them") on its line
			// counts K times. Lines are separated by an escaped newline
			// (\n) in the JSON body.
			line := body[:at]
			if ls := bytes.LastIndex(line, []byte(`\n`)); ls >= 0 {
				line = line[ls+2:]
			}
			if bytes.HasPrefix(line, []byte("- ")) {
				k := 2
				for k < len(line) && line[k] >= '0' && line[k] <= '9' {
					k++
				}
				rest := line[k:]
				if len(rest) > 0 && rest[0] == '%' {
					rest = rest[1:]
				}
				if k > 2 && bytes.HasPrefix(rest, []byte(" of them")) {
					c, _ := strconv.Atoi(string(line[2:k]))
					w = float64(c)
				}
			}
			sum += w * float64(v)
			weight += w
		}
	}
	if weight == 0 {
		return 5, lambda
	}
	return sum / weight, lambda
}

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
