package llmagent

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"text/template"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

func randomData(r *rand.Rand, sc *scenario.Scenario) Data {
	rounds := sc.Schedule(4)
	p := pop.Person{A: r.Float64() / 2, Tau: r.Float64() / 2, Lambda: r.Float64(), Opinion0: r.Float64()}
	p.F = 1 - p.A - p.Tau
	if r.IntN(2) == 0 {
		p.Fact = fmt.Sprintf("fact %d with \"quotes\" & <tags>", r.IntN(9))
	}
	thoughts := []string{"", "short", "with \"quotes\" and \\ backslash <b>&", "multi\nline\ttab", "caf\u00e9 \u2028 \xff"}
	turn := func(step int) Turn {
		return Turn{Step: step, Label: fmt.Sprintf("Round %d", step+1), Agent: r.IntN(1000), Thought: thoughts[r.IntN(5)],
			Opinion: r.IntN(11), Decision: []string{"Yes", "No"}[r.IntN(2)]}
	}
	step := r.IntN(4)
	d := Data{Scenario: sc, Round: rounds[step], Step: step, Person: p, Agent: r.IntN(1000), Degree: r.IntN(30),
		Label: fmt.Sprintf("Round %d", step+1), News: rounds[step].Info, Final: r.IntN(3) == 0, Own: turn(0)}
	for k := range r.IntN(4) {
		d.Memory = append(d.Memory, turn(k+1))
	}
	for range r.IntN(12) {
		d.Friends = append(d.Friends, turn(step))
	}
	d.Shown = len(d.Friends)
	if r.IntN(3) == 0 {
		d.Examples = []Example{{Person: p, Turns: []Turn{turn(0), turn(1)}}}
	}
	return d
}

func TestRendererMatchesTextTemplate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tpl := defaultTemplates()
	for _, sc := range []*scenario.Scenario{scenario.Dishwasher(), scenario.WasteSorting(), scenario.FiveG()} {
		for range 300 {
			d := randomData(r, sc)
			ad := ArchetypeData{Data: d}
			for k := range r.IntN(4) {
				ad.Summary = append(ad.Summary, Share{Percent: 25 * k, Opinion: k, Low: k, High: k + 2, Decision: "Yes"})
			}
			for _, c := range []struct {
				t *template.Template
				d any
			}{{tpl.Shared, d}, {tpl.Agent, d}, {tpl.Round, d}, {tpl.Agent, ad}, {defaultArchetypeRound(), ad}} {
				var want bytes.Buffer
				if err := c.t.Execute(&want, c.d); err != nil {
					t.Fatal(err)
				}
				got, err := renderTo(nil, c.t, c.d)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want.String() {
					t.Fatalf("template %s differs:\n got %q\nwant %q", c.t.Name(), got, want.String())
				}
			}
		}
	}
	// The templates rendered for every request compile (none falls back to
	// text/template); the shared part, rendered once per step, may not.
	for _, tt := range []*template.Template{tpl.Agent, tpl.Round} {
		if r, ok := renderers.Load(renderKey{tt, reflect.TypeOf(Data{})}); !ok || r.(compiled).plain == nil {
			t.Errorf("template %s is not compiled", tt.Name())
		}
	}
	if r, ok := renderers.Load(renderKey{defaultArchetypeRound(), reflect.TypeOf(ArchetypeData{})}); !ok || r.(compiled).plain == nil {
		t.Error("the archetype round template is not compiled")
	}
	// A user's template, which may bind the functions differently, is
	// executed by text/template.
	user := template.Must(template.New("u").Funcs(template.FuncMap{"coef": func(float64) string { return "mine" }}).Parse(`{{coef .Person.A}}`))
	if got, _ := renderTo(nil, user, Data{}); string(got) != "mine" {
		t.Fatalf("user template: %q", got)
	}
}

func BenchmarkRender(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	d := randomData(r, scenario.Dishwasher())
	for len(d.Friends) < 10 {
		d = randomData(r, scenario.Dishwasher())
	}
	tpl := defaultTemplates()
	b.Run("text-template", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			tpl.Agent.Execute(&buf, d)
			tpl.Round.Execute(&buf, d)
		}
	})
	b.Run("compiled", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = renderTo(buf[:0], tpl.Agent, d)
			buf, _ = renderTo(buf, tpl.Round, d)
		}
	})
}
