package llm

import (
	"flag"
	"strings"
)

// AddFlags registers the usual flags of an LLM run on fs and returns the
// configuration they fill once fs is parsed; the model, base URL and key
// default to $LLMSAM_MODEL, $OPENAI_BASE_URL and $OPENAI_API_KEY, and every
// other flag to the Config default. The key has no flag, so that it never
// lands in a shell history. Scripts call llm.AddFlags(flag.CommandLine)
// before flag.Parse.
func AddFlags(fs *flag.FlagSet) *Config {
	cfg := FromEnv(envOr("LLMSAM_MODEL", ""))
	fs.StringVar(&cfg.Model, "model", cfg.Model, "model name as the server lists it at /v1/models (default $LLMSAM_MODEL)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "OpenAI-compatible base URL, e.g. http://localhost:8000/v1 (default $OPENAI_BASE_URL)")
	fs.Func("endpoints", "comma-separated further base URLs of replicas of the same model", func(s string) error {
		for _, e := range strings.Split(s, ",") {
			if e = strings.TrimSpace(e); e != "" {
				cfg.Endpoints = append(cfg.Endpoints, e)
			}
		}
		return nil
	})
	fs.Func("endpoints-file", "a fleet file: one base URL per line with an optional weight (its capacity relative to -concurrency); sets -base-url and -endpoints", func(path string) error {
		specs, err := ReadEndpoints(path)
		if err != nil {
			return err
		}
		cfg.BaseURL, cfg.Endpoints, cfg.Weights = specs[0].URL, nil, nil
		for i, sp := range specs {
			if i > 0 {
				cfg.Endpoints = append(cfg.Endpoints, sp.URL)
			}
			cfg.Weights = append(cfg.Weights, sp.Weight)
		}
		return nil
	})
	fs.StringVar(&cfg.AnswersLog, "answers-log", "", "stream every answer received to this JSONL file as it arrives")
	fs.Func("mode", "chat (default) or completion (raw prompt with a stop string, the release's vLLM mode)", func(s string) error {
		cfg.Mode = Mode(s)
		return nil
	})
	fs.Float64Var(&cfg.Temperature, "temperature", 0, "sampling temperature (0 is sent as 0)")
	fs.IntVar(&cfg.MaxTokens, "max-tokens", DefaultMaxTokens, "maximum tokens per answer")
	fs.Int64Var(&cfg.Seed, "llm-seed", 0, "shifts every request's sampling seed (0: the seeds derived from the study alone)")
	fs.IntVar(&cfg.Concurrency, "concurrency", DefaultConcurrency, "upper bound of requests in flight per endpoint (the client adapts below it)")
	fs.DurationVar(&cfg.Timeout, "timeout", DefaultTimeout, "time allowed per request before it is retried")
	fs.IntVar(&cfg.MaxRetries, "max-retries", DefaultMaxRetries, "retries of a request that got no answer (429, 5xx, timeout, dropped connection) before the run stops")
	fs.Float64Var(&cfg.FallbackBudget, "fallback-budget", DefaultFallbackBudget, "largest share of agent-steps that may keep their previous answer after invalid answers before the run stops (negative: no limit)")
	fs.StringVar(&cfg.CachePath, "cache", "", "response cache file (reruns and resumes ask nothing twice)")
	fs.BoolVar(&cfg.Replay, "replay", false, "answer only from the cache; fail on a miss instead of calling a server")
	fs.StringVar(&cfg.BatchExport, "batch-export", "", "write uncached requests to this OpenAI batch JSONL file instead of sending them")
	fs.Float64Var(&cfg.BudgetUSD, "budget-usd", 0, "stop cleanly when this much was spent (needs -price-in and -price-out)")
	fs.IntVar(&cfg.BudgetTokens, "budget-tokens", 0, "stop cleanly after this many tokens")
	fs.Float64Var(&cfg.PriceInput, "price-in", 0, "USD per million prompt tokens")
	fs.Float64Var(&cfg.PriceOutput, "price-out", 0, "USD per million completion tokens")
	fs.Func("stop", "stop string (repeatable); completion mode defaults to \"\\n#\"", func(s string) error {
		cfg.Stop = append(cfg.Stop, s)
		return nil
	})
	return &cfg
}

func envOr(k, def string) string {
	if v := getenv(k); v != "" {
		return v
	}
	return def
}
