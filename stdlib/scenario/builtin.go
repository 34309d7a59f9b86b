package scenario

// The study's scenarios, written in the project's own words from the facts of
// the LLM-SAM study (PAPER.md). Round strengths are the project's defaults for
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
		Option: "A built-in FOTILE dishwasher costs 6,999 CNY. It holds 16 place settings, " +
			"washes, sanitizes and stores dishes, and can be controlled from a phone app. " +
			"Fitting it into the kitchen cabinets costs a basic 300 CNY plus 200 CNY for each panel.",
		Ask:   "Will you buy this dishwasher?",
		Costs: "the price, the installation work and the running costs",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "price cut", Info: "During the platform's furniture festival the dishwasher's price drops to 5,349 CNY.", Strength: 0.75},
			{Name: "ad campaign", Info: "The brand runs a large campaign on social media, with tutorials and customer stories, and a livestream with a celebrity spokesperson.", Strength: 0.7},
		},
		Facts: []string{
			"A dishwasher saves effort and protects dishes from chipping.",
			"Modern dishwashers are energy-saving and quiet.",
			"Many kitchens are small, and installing a built-in unit is complicated.",
			"A dishwasher uses a lot of water and power when fully loaded.",
			"Retrofitting a dishwasher into existing cabinets is hard.",
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
		Option: "Your community advises every household to sort its waste into colour-coded bags " +
			"(recyclables, kitchen waste, hazardous waste and other waste) before dropping it off.",
		Ask:   "Will you follow the community's advice and sort your waste?",
		Costs: "buying bags, the space for several bins, and the time and effort of sorting",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "subsidy", Info: "A set of home sorting bins costs about 30 CNY, and the community pays 15 CNY of it for every household.", Strength: 0.75},
			{Name: "education campaign", Info: "The community starts an education campaign: volunteers guide residents at the drop-off points, and a residents' sorting committee is open to everyone.", Strength: 0.8},
		},
		Facts: []string{
			"Sorted waste can be recycled, which saves resources.",
			"Sorting reduces pollution from landfills and incineration.",
			"Sorting takes time every day and the rules are confusing.",
			"Several bins take up space in a small home.",
			"Sorted waste is sometimes mixed again during collection.",
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
		Role: "You are a mobile subscriber on a 19 CNY per month plan with 15 GB of 4G data and 50 minutes of calls.",
		Option: "Your operator offers a 5G plan at 39 CNY per month: 20 GB of 5G data plus 30 GB of data " +
			"for selected apps, 100 minutes of calls and free ringback music.",
		Ask:   "Will you switch to the 5G plan?",
		Costs: "the higher monthly fee, possibly a new 5G handset, and changing your habits",
		Rounds: []Round{
			{Name: "initial"},
			{Name: "more data", Info: "You can keep your number or pick a premium one, and the plan now includes 10 GB more 5G data (30 GB plus 30 GB for apps).", Strength: 0.65},
			{Name: "price cut", Info: "The monthly fee of the 5G plan drops from 39 CNY to 29 CNY.", Strength: 0.8},
		},
		Facts: []string{
			"5G downloads are many times faster than 4G.",
			"5G makes video calls and streaming smoother.",
			"5G coverage is still patchy in many places.",
			"5G drains the phone's battery faster.",
			"Many people do not use the extra data they pay for.",
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
