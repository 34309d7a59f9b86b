package scenario

// The study's scenarios, written in the project's own words from the facts of
// the LLM-SAM study and its release (github.com/pzs19/LLM-SAM): the options with the release's extra facts,
// the opinion's per-scenario meaning, the five private facts in the release's
// order with its content and sign, and the release's three worked examples
// per scenario (real participants; their numbers are data of the study). Round strengths are the project's defaults for
// the SAM model's s(t); calibrate them against data before drawing
// quantitative conclusions. Calibration values are computed from the
// release's coefficient files (165 people per scenario). The action model
// keeps the slopes of the pooled logistic fit on all 495 real answers,
// P(x=1) = sigma(-3.21 + 10.46 o - 4.86 lambda), with the intercept shifted per
// scenario so that the expected share of initial adopters equals the real
// one (80, 124 and 60 of 165).
var (
	dishwasher = Scenario{
		ID: 1, Name: "dishwasher", Title: "Buying a built-in dishwasher",
		Role: "You decide what your household buys for its home.",
		Option: "A dishwasher cleans plates, bowls, chopsticks, cutlery and other tableware by itself; " +
			"home dishwashers sell for anything from about 1,500 to more than 10,000 CNY. " +
			"The one on offer is a built-in FOTILE model at 6,999 CNY that washes, sanitizes and stores dishes, " +
			"holds 16 place settings (enough for a household of more than 7 people) and can be run from a phone app. " +
			"It goes under the kitchen counter, so the cabinets and plumbing may need work first: " +
			"a basic package of 300 CNY (cutting side, base and back panels, drilling, moving pipes and sockets) " +
			"plus 200 CNY for each sealing or door panel fitted.",
		Ask:   "Will you buy this dishwasher?",
		Costs: "the purchase price, installation and upkeep, the extra water and electricity, and any other extra cost",
		Opinion: "how satisfied you are with this dishwasher, judging its look, functions, specifications, reliability and practicality: " +
			"0 means completely dissatisfied, 10 completely satisfied",
		Source: "the maker FOTILE or the shopping platform",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "price cut", Info: "During the platform's furniture festival the dishwasher's price drops to 5,349 CNY.", Strength: 0.75},
			{Name: "ad campaign", Info: "The brand runs a large campaign on social media, with tutorials and customer stories, and a livestream with a celebrity spokesperson.", Strength: 0.7},
		},
		Facts: []string{
			"The dishwasher is simply designed and capable: it takes much of the daily washing-up off a household, and its several programmes clean each kind of tableware without damaging it.",
			"Dishwashers usually have energy-saving technology that cleans well with less water and power, and they run quietly enough not to disturb the home.",
			"Kitchens tend to be short of space, and installing a dishwasher can be complicated.",
			"Despite their energy-saving design, dishwashers still use a lot of water and electricity when they run heavily loaded.",
			"Kitchens are often compact and were rarely planned with a dishwasher in mind; since dishwashers are bulky, adding one after the renovation is hard.",
		},
		Favours: []bool{true, true, false, false, false},
		Examples: []Example{
			{PoolRow: 24, Coef: Coefficients{A: 0.1, Tau: 0.7, F: 0.2, Lambda: 0.6}, Opinions: []int{6, 7, 7}, Decisions: []bool{true, true, true}},
			{PoolRow: 47, Coef: Coefficients{A: 0, Tau: 1, F: 0, Lambda: 0.95}, Opinions: []int{3, 3, 3}, Decisions: []bool{false, false, false}},
			{PoolRow: 54, Coef: Coefficients{A: 0.1, Tau: 0.8, F: 0.1, Lambda: 0.9}, Opinions: []int{7, 7, 7}, Decisions: []bool{false, false, false}},
		},
		Calibration: Calibration{
			Mean:          Coefficients{A: 0.220, Tau: 0.517, F: 0.263, Lambda: 0.669},
			SD:            Coefficients{A: 0.112, Tau: 0.178, F: 0.120, Lambda: 0.163},
			OpinionCounts: [11]int{0, 4, 12, 13, 17, 12, 15, 25, 36, 25, 6},
			ActionLogit:   [3]float64{-3.70, 10.46, -4.86},
			Adopters:      80, People: 165,
		},
	}

	wasteSorting = Scenario{
		ID: 2, Name: "waste", Title: "Sorting household waste",
		Role: "You live in a residential community.",
		Option: "Sorting waste means separating what a household throws away by material, content and treatment " +
			"(usually recyclables, kitchen waste, hazardous waste and other waste) so that it can be recycled and processed better. " +
			"Communities are where sorting policies are put into practice, and yours is pushing hard: " +
			"it advises every household to put each kind of waste in its own bag, of a different colour or label, " +
			"so that it is easy to tell apart at collection.",
		Ask:   "Will you follow the community's advice and sort your waste into different bags?",
		Costs: "buying the different bags, the space they take at home, the extra time and effort, and any other extra cost",
		Opinion: "how far you agree with the community's advice to use different bags, judging how reasonable and feasible it is: " +
			"0 means strongly disagree, 10 strongly agree",
		Source: "the community",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "subsidy", Info: "A set of home sorting bins costs about 30 CNY, and the community pays 15 CNY of it for every household.", Strength: 0.75},
			{Name: "education campaign", Info: "The community starts an education campaign: volunteers guide residents at the drop-off points, and a residents' sorting committee is open to everyone.", Strength: 0.8},
		},
		Facts: []string{
			"Sorting waste cuts the pollution of air, soil and water.",
			"Sorting lets paper, metal and plastic be recycled, which saves resources.",
			"Sorting costs households extra time and effort every day.",
			"Where the facilities are poor or the rules are not enforced, sorting can come to nothing and put people off.",
			"Sorting keeps hazardous waste apart from the rest, so fewer germs spread and the community stays cleaner.",
		},
		Favours: []bool{true, true, false, false, true},
		Examples: []Example{
			{PoolRow: 151, Coef: Coefficients{A: 0.3, Tau: 0.4, F: 0.3, Lambda: 0.5}, Opinions: []int{7, 5, 7}, Decisions: []bool{true, false, true}},
			{PoolRow: 88, Coef: Coefficients{A: 0.2, Tau: 0.6, F: 0.2, Lambda: 0.6}, Opinions: []int{2, 4, 4}, Decisions: []bool{false, false, false}},
			{PoolRow: 28, Coef: Coefficients{A: 0.1, Tau: 0.6, F: 0.3, Lambda: 0.7}, Opinions: []int{8, 9, 9}, Decisions: []bool{true, true, true}},
		},
		Calibration: Calibration{
			Mean:          Coefficients{A: 0.202, Tau: 0.520, F: 0.278, Lambda: 0.563},
			SD:            Coefficients{A: 0.109, Tau: 0.180, F: 0.129, Lambda: 0.246},
			OpinionCounts: [11]int{3, 4, 8, 9, 4, 15, 20, 19, 19, 39, 25},
			ActionLogit:   [3]float64{-2.26, 10.46, -4.86},
			Adopters:      124, People: 165,
		},
	}

	fiveG = Scenario{
		ID: 3, Name: "5g", Title: "Switching to a 5G mobile plan",
		Role: "You are a China Mobile subscriber on its 19 CNY per month \"Enjoy Card\" plan: 15 GB of 4G data, " +
			"50 minutes of calls, free incoming calls, extra data at 5 CNY per GB and extra calls at 0.1 CNY per minute.",
		Option: "China Mobile offers a 5G plan at 39 CNY per month: 20 GB of 5G data plus 30 GB of data " +
			"for a list of popular apps (video, music, social media, maps and the like), 100 minutes of calls and free ringback music.",
		Ask:   "Will you switch to the 5G plan?",
		Costs: "the higher monthly fee, possibly a new 5G handset, the effort of changing habits, and any other extra cost",
		Opinion: "how satisfied you are with the 5G plan, judging its price, data and service: " +
			"0 means completely dissatisfied, 10 completely satisfied",
		Source: "the operator China Mobile",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "more data", Info: "You can keep your number or pick a premium one, and the plan now includes 10 GB more 5G data (30 GB plus 30 GB for apps).", Strength: 0.65},
			{Name: "price cut", Info: "The monthly fee of the 5G plan drops from 39 CNY to 29 CNY.", Strength: 0.8},
		},
		Facts: []string{
			"Of the 3.8 million 5G base stations China had by May 2024, China Mobile built the most, so its network is generally the best.",
			"China Mobile's plans, from 10 to 599 CNY a month, are generally dearer than China Telecom's and China Unicom's.",
			"China Mobile's app has been redesigned, with recommendations suited to each user and better notifications.",
			"China Mobile lets you choose a local number, so you avoid getting a recycled number.",
			"Although China Mobile covers the most ground, its signal can be worse than its rivals'.",
		},
		Favours: []bool{true, false, true, true, false},
		Examples: []Example{
			{PoolRow: 70, Coef: Coefficients{A: 0, Tau: 0.8, F: 0.2, Lambda: 0.5}, Opinions: []int{9, 7, 10}, Decisions: []bool{true, true, true}},
			{PoolRow: 79, Coef: Coefficients{A: 0.1, Tau: 0.7, F: 0.2, Lambda: 0.6}, Opinions: []int{6, 7, 7}, Decisions: []bool{true, true, true}},
			{PoolRow: 118, Coef: Coefficients{A: 0.1, Tau: 0.7, F: 0.2, Lambda: 0.85}, Opinions: []int{6, 7, 7}, Decisions: []bool{true, true, true}},
		},
		Calibration: Calibration{
			Mean:          Coefficients{A: 0.179, Tau: 0.488, F: 0.333, Lambda: 0.685},
			SD:            Coefficients{A: 0.126, Tau: 0.207, F: 0.175, Lambda: 0.208},
			OpinionCounts: [11]int{3, 9, 15, 20, 21, 16, 22, 15, 27, 14, 3},
			ActionLogit:   [3]float64{-3.51, 10.46, -4.86},
			Adopters:      60, People: 165,
		},
	}
)

// Dishwasher returns a fresh copy of the dishwasher scenario: should the
// household buy a built-in FOTILE dishwasher? Changing the copy changes no
// other study.
func Dishwasher() *Scenario { return dishwasher.Clone() }

// WasteSorting returns a fresh copy of the waste-sorting scenario: will the
// resident sort household waste as the community asks?
func WasteSorting() *Scenario { return wasteSorting.Clone() }

// FiveG returns a fresh copy of the 5G scenario: will the subscriber switch
// to a 5G mobile plan?
func FiveG() *Scenario { return fiveG.Clone() }
