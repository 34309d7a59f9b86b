package llmagent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Templates are the prompt's parts, executed with a Data. In chat mode the
// system message is Shared and the user message is Agent followed by Round;
// in completion mode the three are concatenated. Shared depends on the
// scenario only (and on the group size in the release set), so every
// agent's prompt starts with the same text; the one exception is an agent
// who is itself one of the worked examples, which is left out of its own
// prompt.
type Templates struct {
	Name   string             // the set's name, written in the manifest ("default", "release", or a script's own)
	Shared *template.Template // task, scenario, critical-thinking note, worked examples, answer format
	Agent  *template.Template // the agent's coefficients, private fact and own answers
	Round  *template.Template // the round's information, friends' answers, the question
	// Release builds the templates' data as the LLM-SAM release did (see
	// ReleaseTemplates): names, N friends = group size, the agent itself
	// among its friends on complete graphs, every earlier question block
	// kept in the prompt, free-chat steps that repeat the last question,
	// worked examples shown even to the person they describe.
	Release bool
}

// Data is what templates see.
type Data struct {
	Scenario  *scenario.Scenario
	Round     scenario.Round
	Step      int    // the step being answered (1 is the second round)
	Label     string // the step's name in the prompt: "Round 2", "Free chat 1", "Round 3"
	News      string // the information of this step ("" for none; in free chat, the last round's news)
	Final     bool   // the last step: the agent is asked for its final opinion and decision
	Person    pop.Person
	Agent     int
	Name      string    // the agent's name (release set: James, Michael, David, Emily, or User0...)
	GroupSize int       // people in the network
	Examples  []Example // worked examples of real participants (in-context training)
	Own       Turn      // the agent's own round-1 answer (step 0)
	Memory    []Turn    // the agent's own answers after round 1 (empty with NoMemory)
	Friends   []Turn    // friends' latest answers
	Degree    int       // number of friends (release set: the group size)
	Shown     int       // friends listed (Degree capped by MaxFriends)
	Blocks    []Block   // release set: the question blocks asked so far, this step's last
}

// Turn is one answer as shown in a prompt.
type Turn struct {
	Step     int
	Label    string // the step's name ("Round 2", "Free chat 1")
	Agent    int
	Name     string // the agent's name (release set)
	Thought  string
	Opinion  int // 0..10
	Decision string
}

// Example is a worked example: a real participant's coefficients and the
// answers given in each round (Turns[0] is round 1).
type Example struct {
	Person pop.Person
	Turns  []Turn
}

// Block is one question of the release's accumulating prompt: the round's
// news, the friends' answers of the step before, and the question.
type Block struct {
	Round   int // the round asked, 2 or 3
	News    string
	Friends []Turn
	Final   bool
}

// JSON formats an answer as the object the agents are asked for:
// {"thought": ..., "opinion": ..., "decision": ...}.
func (t Turn) JSON() string {
	return fmt.Sprintf(`{"thought": %s, "opinion": %d, "decision": %s}`, jsonString(t.Thought), t.Opinion, jsonString(t.Decision))
}

// ReleaseJSON formats an answer as the release's agents wrote and read
// them (Python's json.dumps with ensure_ascii=False):
// {"Thought": ..., "Opinion": ..., "Decision": ...}.
func (t Turn) ReleaseJSON() string {
	return fmt.Sprintf(`{"Thought": %s, "Opinion": %d, "Decision": %s}`, jsonString(t.Thought), t.Opinion, jsonString(t.Decision))
}

// Answer formats t as the answer the set's prompts ask for: Turn.JSON, or
// Turn.ReleaseJSON for the release set.
func (tp *Templates) Answer(t Turn) string {
	if tp.Release {
		return t.ReleaseJSON()
	}
	return t.JSON()
}

// Schema is the structured-output schema whose keys are the ones the set's
// prompts ask for: ReleaseSchema for the release set, else Schema.
func (tp *Templates) Schema() json.RawMessage {
	if tp.Release {
		return ReleaseSchema
	}
	return Schema
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// num formats a coefficient the way Python prints a float read from the
// release's CSV (0.1, 0.95, 1.0).
func num(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

var funcs = template.FuncMap{
	"inc":  func(i int) int { return i + 1 },
	"num":  num,
	"coef": func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"lower": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToLower(s[:1]) + s[1:]
	},
	"trim": func(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ".") },
}

func parse(name, text string) *template.Template {
	return template.Must(template.New(name).Funcs(funcs).Parse(text))
}

// DefaultTemplates returns the project's prompts. They carry the
// information of the release's prompts in the project's own words: the
// task, the scenario with its facts, a note on critical thinking, the
// scenario's three worked examples of real participants (all three rounds),
// each coefficient's value and meaning with no rule for combining them, the
// opinion's per-scenario meaning with the decision asked separately, the
// private fact, the agent's own round-1 answer, the round's news, the
// friends' latest answers, the final-round framing and, in free-chat steps,
// the last round's news with the choice to agree and change or to stick and
// persuade. Beyond the release they tell each agent its own later answers,
// its real number of friends, and give every agent a private fact.
func DefaultTemplates() *Templates {
	return &Templates{
		Name:   "default",
		Shared: parse("shared", sharedText),
		Agent:  parse("agent", agentText),
		Round:  parse("round", roundText),
	}
}

// PromptSets names the built-in prompt sets, for flags and errors.
const PromptSets = "default or release"

// TemplatesByName returns a built-in prompt set: "default" (or "") or
// "release".
func TemplatesByName(name string) (*Templates, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "default":
		return DefaultTemplates(), nil
	case "release":
		return ReleaseTemplates(), nil
	}
	return nil, fmt.Errorf("unknown prompt set %q: want %s", name, PromptSets)
}

const sharedText = `You are taking part in an online experiment on decisions made among friends, set in everyday life. You play one person, described below: put yourself in their place and decide as they would. Over several rounds you will receive new information and hear what your friends think; assume you know them well and are glad to talk the matter over with them. Each round you answer from your own circumstances, the information given and what your friends said.

# The situation: {{.Scenario.Title}}
{{.Scenario.Role}}
{{.Scenario.Option}}

# Think critically
The real participants below are there for reference: learn from them, but do not copy their answers. You need not agree with your friends. Remember that your time, energy and money are limited.

# How people are described
Every person has four coefficients, each between 0 and 1; the larger the value, the stronger the influence:
- friends (a): how much friends' opinions influence the person's decisions;
- new information (f): how much the new information from {{.Scenario.Source}} influences their decisions;
- stubbornness (tau): how firmly they hold on to their own opinion;
- trade-off (lambda): how much costs weigh in their decisions ({{.Scenario.Costs}}); the larger it is, the more the costs put them off.
The opinion is {{.Scenario.Opinion}}. The decision is asked separately: {{.Scenario.Ask}}
{{with .Examples}}
# Real participants of this experiment
{{range $k, $e := .}}
## Participant {{inc $k}}
Coefficients: friends a = {{num .Person.A}}, new information f = {{num .Person.F}}, stubbornness tau = {{num .Person.Tau}}, trade-off lambda = {{num .Person.Lambda}}.
{{range $r, $t := .Turns}}{{if eq $r 0}}- Round 1: before any news, their opinion was {{.Opinion}} and their decision {{.Decision}}{{with .Thought}} ("{{.}}"){{end}}.
{{else if eq $r 1}}- Round 2: after hearing their friends' opinions and the news ({{trim (index $.Scenario.Rounds 1).Info}}), their opinion was {{.Opinion}} and their decision {{.Decision}}.
{{else}}- Round 3: after the news ({{trim (index $.Scenario.Rounds $r).Info}}) and more talk with their friends, they made up their mind: final opinion {{.Opinion}}, final decision {{.Decision}}.
{{end}}{{end}}{{end}}{{end}}
# How to answer
Every round, answer with one JSON object and nothing else (no questions, no other text):
- "thought": a brief thought on the matter, in your own words;
- "opinion": a whole number from 0 to 10, {{.Scenario.Opinion}};
- "decision": "Yes" or "No" (the answer to: {{.Scenario.Ask}}).
For example {"thought": "...", "opinion": 7, "decision": "Yes"} or {"thought": "...", "opinion": 2, "decision": "No"}.
`

const agentText = `# Who you are
Your coefficients (each between 0 and 1):
- friends a = {{coef .Person.A}}: how much your friends' opinions influence your decisions;
- new information f = {{coef .Person.F}}: how much the new information from {{.Scenario.Source}} influences your decisions;
- stubbornness tau = {{coef .Person.Tau}}: how firmly you hold on to your own opinion;
- trade-off lambda = {{coef .Person.Lambda}}: how much the costs weigh in your decisions.
{{if .Person.Fact}}Something you know: {{.Person.Fact}}
{{end}}{{if .Step}}
# Round 1
Before any news you answered:
{{.Own.JSON}}
{{range .Memory}}{{.Label}}: you answered {{.JSON}}
{{end}}{{end}}`

const roundText = `
# {{.Label}}
{{if .Round.FreeChat}}{{if .News}}The news still stands: {{.News}}
{{end}}Talk with your friends. If someone's view convinces you, change your opinion and decision to match; if you keep yours, try to persuade the others.
{{else if .News}}New information from {{.Scenario.Source}}: {{.News}}
{{end}}{{if .Friends}}Your {{.Degree}} friends' latest answers{{if lt .Shown .Degree}} ({{.Shown}} of them shown){{end}}:
{{range .Friends}}- friend {{.Agent}}: {{.JSON}}
{{end}}{{else if .Step}}You have no friends to hear from.
{{end}}
{{if .Final}}You have now made up your mind on your final opinion and decision. {{end}}{{.Scenario.Ask}} Give your opinion ({{.Scenario.Opinion}}) and your decision, as the JSON object only.`

// UsePrompts gives LLM agents (or the agents of Archetypes) the built-in
// prompt set named name (see TemplatesByName); for any other model it only
// checks the name. Scripts call it with their -prompts flag. The default
// set is the package's own parsed copy (Templates nil), whose prompts are
// rendered by compiled templates and whose shared part is rendered once
// per step.
func UsePrompts(m any, name string) error {
	tpl, err := TemplatesByName(name)
	if err != nil {
		return err
	}
	if tpl.Name == "default" {
		tpl = nil
	}
	switch a := m.(type) {
	case *Agents:
		a.Templates = tpl
	case *Archetypes:
		if a.Agents != nil {
			a.Agents.Templates = tpl
		}
	}
	return nil
}
