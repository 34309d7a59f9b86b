package llmagent

// ReleaseTemplates returns the "release" prompt set: the LLM-SAM release's
// prompts (prompt_3ex) reproduced in meaning, in the project's own words,
// with their quirks, so that a run can repeat the release's experiment as
// it was and the effect of each of llmsam's changes can be measured:
//
//   - agents have names (James, Michael, David, Emily in groups under 5,
//     else User0, User1, ...) and friends' answers are shown as each
//     friend's JSON answer of the step before, by name;
//   - the task says the agent talks with N friends, N being the group or
//     network size, not the agent's degree;
//   - on a complete graph (the small groups) the agent's own previous
//     answer is listed among its friends', as the release's all-ones
//     adjacency matrix had a diagonal;
//   - the agent sees its own round-1 answer (the prompt's fixed prefix) but
//     none of its later answers; every earlier question block (news,
//     friends' answers, question) stays in the prompt, as the release
//     appended each question to the prefix;
//   - worked examples are the scenario's three real participants, told in
//     the third person with answers lacking a thought, shown to every
//     agent, including the participant they describe;
//   - a free-chat step repeats the prompt of the last question asked (the
//     release's dynamic script pointed at a folder without the free-chat
//     template);
//   - private facts are whatever the population holds: apply ReleaseFacts
//     to the pooled population to hand them out as the release did (five
//     agents of a 50- or 101-agent window).
//
// Answers are asked as {"Thought", "Opinion", "Decision"}, and every
// agent's request in replicate k has the seed k + 1000 x try, as the
// release's requests had.
func ReleaseTemplates() *Templates {
	return &Templates{
		Name:    "release",
		Shared:  parse("release-shared", releaseShared),
		Agent:   parse("release-agent", releaseFormat+releaseAgent),
		Round:   parse("release-round", releaseFormat+releaseRound),
		Release: true,
	}
}

const releaseShared = `# The task
This is an online experiment on how people decide within their social relationships, set in real life. Put yourself in the situation and decide as you would. As the experiment goes on you will receive further information and your friends' opinions; assume you know all of them and are willing to discuss the topic with them. In every round you answer and decide from your own circumstances, the information given and your exchanges with your friends. In this experiment you talk with {{.GroupSize}} friends.

{{.Scenario.Role}} {{.Scenario.Option}}

**Note: think critically. Use the examples below as a reference, but do not simply copy their results. Do not always agree with your friends. Remember that your time, energy and money are limited.**
{{with .Examples}}
## Examples
Here are individuals of this experiment and how they really thought and acted.
{{range $k, $e := .}}
### Example {{inc $k}}
First, this individual's four characteristics.

His/her susceptibility to friends is {{num .Person.A}}: how much friends' opinions influence his/her decisions. It lies between 0 and 1; larger means a stronger influence.

His/her susceptibility to the new information from {{$.Scenario.Source}} is {{num .Person.F}}: how much that information influences his/her decisions. It lies between 0 and 1; larger means a stronger influence.

His/her stubbornness is {{num .Person.Tau}}: how firmly he/she keeps his/her own opinion. It lies between 0 and 1; larger means holding on more firmly.

His/her trade-off coefficient is {{num .Person.Lambda}}: how much costs weigh in his/her decisions ({{$.Scenario.Costs}}). It lies between 0 and 1; larger means less likely to go ahead because the costs seem too high.
{{range $r, $t := .Turns}}{{if eq $r 0}}
His/her opinion, {{$.Scenario.Opinion}}, is {{.Opinion}}. His/her decision ({{$.Scenario.Ask}}) is '{{.Decision}}'.
So the output is: {"Opinion": {{.Opinion}}, "Decision": "{{.Decision}}"}
{{else if eq $r 1}}
Then, over several rounds, he/she talks with friends and receives information from {{$.Scenario.Source}}. First he/she hears the friends' opinions and the new information: {{(index $.Scenario.Rounds 1).Info}}
His/her opinion is now {{.Opinion}} and the decision '{{.Decision}}'.
So the output is: {"Opinion": {{.Opinion}}, "Decision": "{{.Decision}}"}
{{else}}
Next comes the new information: {{(index $.Scenario.Rounds $r).Info}}
He/she goes on talking with friends and gradually makes up his/her mind. His/her final opinion is {{.Opinion}} and final decision '{{.Decision}}'.
So the output is: {"Opinion": {{.Opinion}}, "Decision": "{{.Decision}}"}
{{end}}{{end}}{{end}}{{end}}
# Your characteristics
`

// releaseFormat is the answer-format block the release repeated before
// every question.
const releaseFormat = `{{define "format"}}# Answer format
Answer in JSON with three parts: (1) Thought: your brief thoughts on the matter; (2) Opinion: an integer from 0 to 10, {{.Scenario.Opinion}}; (3) Decision: "Yes" or "No", the answer to: {{.Scenario.Ask}}
Example: {"Thought": "your brief thoughts", "Opinion": 7, "Decision": "Yes"}
Another example: {"Thought": "your brief thoughts", "Opinion": 2, "Decision": "No"}
Output this JSON with exactly these three parts and nothing else. Do not ask any questions. Follow the format, but fill it in from your own understanding rather than copying the examples.
{{end}}`

const releaseAgent = `Your name is {{.Name}}.

Your susceptibility to friends is {{num .Person.A}}: how much your friends' opinions influence your decisions (0 to 1, larger means stronger).

Your susceptibility to the new information from {{.Scenario.Source}} is {{num .Person.F}}: how much that information influences your decisions (0 to 1, larger means stronger).

Your stubbornness is {{num .Person.Tau}}: how firmly you keep your own opinion (0 to 1, larger means more firmly).

Your trade-off coefficient is {{num .Person.Lambda}}: how much costs weigh in your decisions ({{.Scenario.Costs}}); 0 to 1, larger means less likely to go ahead because the costs seem too high.

# The basic information you have
{{.Person.Fact}}
{{template "format" .}}
# Round 1 question
Give your opinion, {{.Scenario.Opinion}}, and decide: {{.Scenario.Ask}} (Use the JSON format above.)

Answer:{{if .Step}}
{{.Own.ReleaseJSON}}{{end}}`

const releaseRound = `{{range .Blocks}}
{{template "format" $}}
# Round {{.Round}}: talk and new information
{{if eq .Round 2}}From now on you take part in several rounds of discussion; each round you talk with your friends and receive information from {{$.Scenario.Source}}. Decide whether to adjust your answer.
{{else}}You talk with your friends again and receive information from {{$.Scenario.Source}}. Decide whether to adjust your answer.
{{end}}
The new information: {{.News}}

Your friends' opinions now:
{{range $k, $f := .Friends}}{{if $k}}
{{end}}{{.Name}}'s answer is {{.ReleaseJSON}}{{end}}

# Round {{.Round}} question
{{if .Final}}You have now made up your mind on your final opinion and decision. {{end}}Give your opinion, {{$.Scenario.Opinion}}, and decide: {{$.Scenario.Ask}} (Use the JSON format above.)

Answer:{{end}}`
