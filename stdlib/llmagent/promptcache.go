package llmagent

import (
	"reflect"
	"sync"
	"sync/atomic"
	"text/template"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// promptCache renders the prompts of one step: what every agent's Data
// shares (stepData) is built once; the shared part (the system message) is
// rendered once per distinct list of worked examples when the templates
// are the package's (it depends on nothing else there); the agent and
// round parts are rendered per request. It is safe for concurrent use.
type promptCache struct {
	ag     *Agents
	tpl    *Templates
	own    bool // the package's default templates
	env    *agent.Env
	cur    *agent.State
	step   *stepData
	mu     sync.Mutex
	shared map[uint64]string // shared part by examples key
	parts  [3]part           // Shared, Agent and Round for a Data
	size   atomic.Int64      // the longest user message so far, plus a margin: its buffer's size
	qsize  atomic.Int64      // the same for user messages rendered as JSON strings
}

// prompt is what a request asks: the shared part (the system message) and
// the user message, as text (user) or, when quoted is not nil, as its JSON
// string (see llm.Message.Quoted).
type prompt struct {
	shared, user string
	quoted       []byte
}

// message returns p's user message.
func (p *prompt) message() llm.Message {
	return llm.Message{Role: "user", Content: p.user, Quoted: p.quoted}
}

// userMessage renders the user message of d (parts executed with it) into
// p. When into is not nil and the parts have a quoted form it renders the
// message as its JSON string into *into (reset; when nil, a new buffer the
// size of the longest such message so far), which then holds the buffer
// that p.quoted shares; otherwise, as text, in a new string.
func (c *promptCache) userMessage(p *prompt, into *[]byte, d any, parts ...part) (err error) {
	if into != nil && quotable(parts) {
		buf := *into
		hint := c.qsize.Load()
		if buf == nil {
			buf = make([]byte, 0, max(hint, 256))
		}
		out, ok, err := renderQuoted(buf[:0], d, parts...)
		if err != nil {
			return err
		}
		if ok {
			if n := int64(len(out)); n > hint {
				c.qsize.Store(n + 64)
			}
			*into, p.quoted = out, out
			return nil
		}
	}
	p.user, err = renderString(&c.size, d, parts...)
	return err
}

func newPromptCache(ag *Agents, tpl *Templates, env *agent.Env, cur *agent.State) *promptCache {
	c := &promptCache{ag: ag, tpl: tpl, own: tpl == defaultTemplates(), env: env, cur: cur,
		step: newStepData(ag, tpl, env, cur), shared: map[uint64]string{}}
	for k, t := range []*template.Template{tpl.Shared, tpl.Agent, tpl.Round} {
		c.parts[k] = partFor(t, reflect.TypeFor[Data]())
	}
	return c
}

// dataPool recycles the Data that prompts are rendered from (with their
// Friends and Memory slices).
var dataPool = sync.Pool{New: func() any { return new(Data) }}

// putData clears d and returns it to dataPool.
func putData(d *Data) {
	friends, memory := d.Friends[:0], d.Memory[:0]
	clear(friends[:cap(friends)])
	clear(memory[:cap(memory)])
	*d = Data{Friends: friends, Memory: memory}
	dataPool.Put(d)
}

// sharedText renders the shared part for d.
func (c *promptCache) sharedText(d *Data) (string, error) {
	if !c.own {
		return renderString(nil, d, c.parts[0])
	}
	key := c.step.examples.key(d.Examples)
	c.mu.Lock()
	text, ok := c.shared[key]
	c.mu.Unlock()
	if ok {
		return text, nil
	}
	text, err := renderString(nil, d, c.parts[0])
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.shared[key] = text
	c.mu.Unlock()
	return text, nil
}

// exact renders agent i's own prompt, its user message into *into when
// into is not nil (see userMessage).
func (c *promptCache) exact(i int, into *[]byte) (p prompt, err error) {
	d := dataPool.Get().(*Data)
	defer putData(d)
	c.step.data(d, c.cur, i)
	if p.shared, err = c.sharedText(d); err != nil {
		return p, err
	}
	err = c.userMessage(&p, into, d, c.parts[1], c.parts[2])
	return p, err
}

// archetype renders the prompt of agent i's archetype: agent i's data with
// its coefficients, its own answers and its friends' answers replaced by
// their bins' values, and the friends' answers summarised as shares; its
// user message into *into when into is not nil (see userMessage).
func (c *promptCache) archetype(round *template.Template, r Resolution, v *binValues, i int, into *[]byte) (pr prompt, err error) {
	env, cur := c.env, c.cur
	base := dataPool.Get().(*Data)
	defer putData(base)
	c.step.data(base, cur, i)
	if pr.shared, err = c.sharedText(base); err != nil {
		return pr, err
	}
	p := env.People[i]
	k := r.Coefficients
	person := pop.Person{A: v.a[coefBin(p.A, k)], Tau: v.tau[coefBin(p.Tau, k)], Lambda: v.lambda[coefBin(p.Lambda, k)], Fact: p.Fact}
	if person.A+person.Tau > 1 {
		s := person.A + person.Tau
		person.A, person.Tau = person.A/s, person.Tau/s
	}
	person.F = 1 - person.A - person.Tau
	d := ArchetypeData{Data: *base}
	d.Person = person
	binned := func(t Turn, st *agent.State) Turn {
		t.Opinion = v.opinion[answerBin(answerOf(st, i), r.Opinions)]
		t.Thought = ""
		return t
	}
	d.Own = binned(base.Own, initialOf(env, cur))
	d.Memory = nil
	if !c.ag.NoMemory && env.Step > 1 && len(base.Memory) > 0 {
		d.Memory = []Turn{binned(base.Memory[len(base.Memory)-1], cur)}
	}
	d.Friends = nil
	friends := env.Graph.Neighbors(i)
	d.Degree, d.Shown = len(friends), len(friends)
	var cells [22]int
	for _, f := range friends {
		cells[answerBin(answerOf(cur, int(f)), r.Opinions)<<1|int(cur.Action[f])]++
	}
	for b := r.Opinions - 1; b >= 0; b-- {
		for _, dec := range []int{1, 0} {
			n := cells[b<<1|dec]
			if n == 0 {
				continue
			}
			lo, hi, _ := binRange(b, r.Opinions)
			sh := Share{Percent: 100 * shareStep(n, len(friends), r.Shares) / r.Shares, Opinion: v.opinion[b], Low: lo, High: hi, Decision: "No"}
			if dec == 1 {
				sh.Decision = "Yes"
			}
			d.Summary = append(d.Summary, sh)
		}
	}
	typ := reflect.TypeFor[ArchetypeData]()
	err = c.userMessage(&pr, into, &d, partFor(c.tpl.Agent, typ), partFor(round, typ))
	return pr, err
}
