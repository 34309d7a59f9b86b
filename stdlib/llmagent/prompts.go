package llmagent

import (
	"fmt"
	"text/template"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Templates are the prompt's parts, executed with a Data. In chat mode the
// system message is Shared and the user message is Agent followed by Round;
// in completion mode the three are concatenated. Shared must not depend on
// the agent, so every agent's prompt starts with the same text.
type Templates struct {
	Shared *template.Template // the scenario, the answer format, worked examples
	Agent  *template.Template // the agent's coefficients, private fact and earlier answers
	Round  *template.Template // the round's information, friends' answers, the question
}

// Data is what templates see.
type Data struct {
	Scenario *scenario.Scenario
	Round    scenario.Round
	Step     int // the step being answered (1 is the second round)
	Person   pop.Person
	Agent    int
	Examples []Example // worked examples of other people (in-context training)
	Memory   []Turn    // the agent's own answers so far, step 0 first
	Friends  []Turn    // friends' latest answers
	Degree   int       // number of friends
	Shown    int       // friends listed (Degree capped by MaxFriends)
}

// Turn is one answer as shown in a prompt.
type Turn struct {
	Step     int
	Agent    int
	Thought  string
	Opinion  int // 0..10
	Decision string
}

// Example is a worked example: another person's coefficients and answer.
type Example struct {
	Person pop.Person
	Turn   Turn
}

// Level describes a coefficient in words.
func Level(x float64) string {
	switch {
	case x < 0.15:
		return "very little"
	case x < 0.35:
		return "a little"
	case x < 0.55:
		return "moderately"
	case x < 0.75:
		return "strongly"
	}
	return "very strongly"
}

// Percent formats a share as a whole percentage.
func Percent(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

var funcs = template.FuncMap{"level": Level, "percent": Percent, "inc": func(i int) int { return i + 1 }}

// DefaultTemplates returns the project's prompts.
func DefaultTemplates() *Templates {
	return &Templates{
		Shared: template.Must(template.New("shared").Funcs(funcs).Parse(sharedText)),
		Agent:  template.Must(template.New("agent").Funcs(funcs).Parse(agentText)),
		Round:  template.Must(template.New("round").Funcs(funcs).Parse(roundText)),
	}
}

const sharedText = `You take part in a study of how people decide together. You play one person, described below, and answer as that person would, in their own voice.

# The decision: {{.Scenario.Title}}
{{.Scenario.Role}}
{{.Scenario.Option}}
Question: {{.Scenario.Ask}}

# How people differ
Each person is described by four numbers between 0 and 1:
- friends (a): how much what friends think and do sways them;
- stubbornness (tau): how much they hold on to their own earlier view;
- outside information (f): how much news, offers and campaigns from the provider or the community sway them; a, tau and f add up to 1;
- cost weight (lambda): how much the costs ({{.Scenario.Costs}}) weigh in their decision.
Someone may like the idea and still say no when the costs weigh heavily on them.

# How to answer
Every round you give a short thought (one or two sentences), your opinion of the option as a whole number from 0 (completely against) to 10 (completely for), and your decision, Yes or No.
Answer with one JSON object and nothing else:
{"thought": "...", "opinion": 7, "decision": "Yes"}
{{if .Examples}}
# Examples of other people's first answers
{{range .Examples}}- friends {{printf "%.2f" .Person.A}}, stubbornness {{printf "%.2f" .Person.Tau}}, outside information {{printf "%.2f" .Person.F}}, cost weight {{printf "%.2f" .Person.Lambda}}:
  {"thought": {{printf "%q" .Turn.Thought}}, "opinion": {{.Turn.Opinion}}, "decision": "{{.Turn.Decision}}"}
{{end}}{{end}}`

const agentText = `# Who you are
Friends sway you {{level .Person.A}} (a = {{printf "%.2f" .Person.A}}), you hold on to your own view {{level .Person.Tau}} (tau = {{printf "%.2f" .Person.Tau}}), and outside information sways you {{level .Person.F}} (f = {{printf "%.2f" .Person.F}}): your view weighs {{percent .Person.Tau}} your own earlier opinion, {{percent .Person.A}} your friends and {{percent .Person.F}} outside information.
The costs weigh {{level .Person.Lambda}} on you (lambda = {{printf "%.2f" .Person.Lambda}}).
{{if .Person.Fact}}Something you know: {{.Person.Fact}}
{{end}}{{if .Memory}}
# Your answers so far
{{range .Memory}}Round {{inc .Step}}: opinion {{.Opinion}}, decision {{.Decision}}.{{if .Thought}} You thought: "{{.Thought}}"{{end}}
{{end}}{{end}}`

const roundText = `
# Round {{inc .Step}}{{if .Round.FreeChat}}: talking with friends{{end}}
{{if .Round.Info}}News this round: {{.Round.Info}}
{{else if .Round.FreeChat}}There is no news this round. Read what your friends said: you may change your mind if they convinced you, or keep your view and try to persuade them.
{{end}}{{if .Friends}}Your {{.Degree}} friends answered last round{{if lt .Shown .Degree}} ({{.Shown}} of them shown){{end}}:
{{range .Friends}}- friend {{.Agent}}: opinion {{.Opinion}}, decision {{.Decision}}{{if .Thought}}, "{{.Thought}}"{{end}}
{{end}}{{else}}You have no friends to hear from.
{{end}}
Question: {{.Scenario.Ask}} Answer with the JSON object only.`
