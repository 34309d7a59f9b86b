package llmagent_test

import (
	"bytes"
	"testing"

	"github.com/llmsam/llmsam/internal/jsonenc"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// TestQuotedRequests: requests whose user message is rendered straight
// into its JSON string (llm.Message.Quoted) have the bodies and keys of
// the requests with the text (what Agents.Prompt renders), for the golden
// group at every scenario and LLM round, with its thoughts and with
// thoughts that need every escape, per agent and as archetypes; the
// default prompts take that path, the release set keeps the text.
func TestQuotedRequests(t *testing.T) {
	c, err := llm.New(llm.Config{Model: "m", BaseURL: "http://127.0.0.1:1/v1", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nasty := []string{`"quoted" \ <b> & 'x'`, "line\nbreak\ttab", "caf\u00e9 \u2028 \U0001F600", "invalid \xff \xc3", "\xa9 starts inside a rune"}
	for _, set := range []string{"default", "release"} {
		tpl, err := llmagent.TemplatesByName(set)
		if err != nil {
			t.Fatal(err)
		}
		if set == "default" {
			tpl = nil // the package's own copy, as UsePrompts sets it
		}
		for _, sc := range scenario.Builtin() {
			for _, thoughts := range []string{"golden", "nasty"} {
				people, states := goldenGroup(sc)
				if thoughts == "nasty" {
					for k, st := range states {
						for i := range st.Thought {
							st.Thought[i] = nasty[(k+i)%len(nasty)]
						}
					}
					people[1].Fact = nasty[0]
				}
				for step := 1; step <= 2; step++ {
					nw := netw.Complete(3)
					env := &agent.Env{Run: "q", Step: step, Steps: 3, Seed: 1, Graph: nw, Network: nw, People: people, Scenario: sc,
						Round: sc.Schedule(3)[step], Initial: states[0], Past: states[:step]}
					cur := states[step-1]
					ag := &llmagent.Agents{Templates: tpl}
					for _, res := range []llmagent.Resolution{llmagent.Exact, {}} {
						m := &llmagent.Archetypes{Agents: ag, Resolution: res}
						plain, err := llmagent.StepRequests(m, env, cur, false)
						if err != nil {
							t.Fatal(err)
						}
						quoted, err := llmagent.StepRequests(m, env, cur, true)
						if err != nil {
							t.Fatal(err)
						}
						for k := range plain {
							name := set + "/" + sc.Name + "/" + thoughts + "/step" + itoa(step) + "/" + map[bool]string{true: "exact", false: "archetypes"}[res.Exact] + "/" + quoted[k].ID
							pm, qm := plain[k].Messages[1], quoted[k].Messages[1]
							if pm.Quoted != nil {
								t.Fatalf("%s: the text request is quoted", name)
							}
							if res.Exact {
								_, user, err := ag.Prompt(env, cur, quoted[k].Agent)
								if err != nil || user != pm.Content {
									t.Fatalf("%s: the request's text is not Prompt's (%v)", name, err)
								}
							}
							if qm.Quoted == nil {
								// Only the release set, and user messages with a
								// string that starts inside a UTF-8 sequence, keep the text.
								if set == "default" && !bytes.Contains([]byte(pm.Content), []byte("\xa9 starts")) {
									t.Fatalf("%s: the default prompts were not quoted", name)
								}
							} else {
								if set == "release" {
									t.Fatalf("%s: the release set's user message was quoted", name)
								}
								if want := jsonenc.AppendString(nil, pm.Content, true); !bytes.Equal(qm.Quoted, want) {
									t.Fatalf("%s: quoted user message\n%s\nwant\n%s", name, qm.Quoted, want)
								}
							}
							pb, err := c.Body(plain[k])
							if err != nil {
								t.Fatal(err)
							}
							qb, err := c.Body(quoted[k])
							if err != nil {
								t.Fatal(err)
							}
							if !bytes.Equal(pb, qb) || c.Key(plain[k]) != c.Key(quoted[k]) {
								t.Fatalf("%s: bodies or keys differ:\n%s\n%s", name, qb, pb)
							}
						}
					}
				}
			}
		}
	}
}
