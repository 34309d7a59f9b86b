package llmagent

import (
	"hash/fnv"
	"io"
	"sort"
	"strconv"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// seedRule describes how request seeds are made, for the manifest.
const seedRule = "v1: FNV-1a of (study name, labels in key order, replicate seed, replicate, step), mixed with agent and try by splitmix64, 31 bits; shifted by the llm seed when it is not 0"

// seeder gives each request of a step its sampling seed: a function of the
// study's identity (name and labels such as group, window and topology),
// the replicate (its seed and index), the step, the agent and the try, so
// that no two prompts of a study share a seed by construction and a re-ask
// gets a new one. Config.Seed (-llm-seed) shifts them all (in llm.Client).
type seeder struct{ base uint64 }

func newSeeder(env *agent.Env) seeder {
	h := fnv.New64a()
	put := func(s string) {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	put("llmsam-seed-v1")
	put(env.Run)
	keys := make([]string, 0, len(env.Labels))
	for k := range env.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		put(k)
		put(env.Labels[k])
	}
	put(strconv.FormatUint(env.Seed, 10))
	put(strconv.Itoa(env.Replicate))
	put(strconv.Itoa(env.Step))
	return seeder{base: h.Sum64()}
}

// seed returns the seed of an agent's try, in 31 bits (llama.cpp reads
// seeds as unsigned 32-bit numbers with 0xFFFFFFFF meaning random; every
// server takes a positive int32).
func (s seeder) seed(agentIdx, try int) int64 {
	x := splitmix(splitmix(s.base^uint64(agentIdx)) ^ uint64(try))
	return int64(x >> 33)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
