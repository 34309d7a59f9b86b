# Regenerate the study's figures and tables (scripts/) with theory agents:
#   make figures
# and with LLM agents behind an OpenAI-compatible server:
#   make figures-llm MODEL=Qwen/Qwen2.5-7B-Instruct BASE_URL=http://localhost:8000/v1 CACHE=qwen.db
# Add COEFF=../shared/reference/llmsam/coeff to use the release's participants.
# COEVO is a copy of github.com/lzino90/coevolutionary with its .mat files as
# FILE.VARIABLE.csv (the TAC 2023 polarization network); when it is absent,
# the polarization panel is drawn on two generated communities and says so.

LLMSAM  ?= go run ./cmd/llmsam
OUT     ?= out
COEFF   ?=
COEVO   ?= ../shared/reference/coevolutionary
COEFFARG = $(if $(COEFF),-coeff $(COEFF),)
LLMARGS  = -model $(MODEL) -base-url $(BASE_URL) -cache $(CACHE)

.PHONY: figures figures-llm readme-figures test golden
figures:
	$(LLMSAM) scripts/population.go    -out $(OUT)/population $(COEFFARG)
	$(LLMSAM) scripts/validation.go    -out $(OUT)/validation $(COEFFARG)
	$(LLMSAM) scripts/large_network.go -out $(OUT)/large $(COEFFARG)
	$(LLMSAM) scripts/dynamic.go       -out $(OUT)/dynamic $(COEFFARG)
	$(LLMSAM) scripts/phenomena.go     -out $(OUT)/phenomena -coevolutionary $(COEVO)
	$(LLMSAM) scripts/sweeps.go        -out $(OUT)/sweeps

figures-llm:
	$(LLMSAM) scripts/validation.go    -out $(OUT)/llm/validation $(COEFFARG) $(LLMARGS)
	$(LLMSAM) scripts/large_network.go -out $(OUT)/llm/large $(COEFFARG) $(LLMARGS)
	$(LLMSAM) scripts/dynamic.go       -out $(OUT)/llm/dynamic $(COEFFARG) $(LLMARGS)
	$(LLMSAM) scripts/phenomena.go     -out $(OUT)/llm/phenomena -coevolutionary $(COEVO) $(LLMARGS)

test:
	go test ./...

# The theory figures embedded in README.md (docs/figures), from the
# built-in synthetic populations.
readme-figures: figures
	mkdir -p docs/figures
	cp $(OUT)/population/coefficients.png $(OUT)/population/gap_dishwasher.png \
	   $(OUT)/validation/rounds_dishwasher.png $(OUT)/large/trajectories.png $(OUT)/large/network.png \
	   $(OUT)/dynamic/dynamic_vs_static.png $(OUT)/phenomena/phenomena.png \
	   $(OUT)/sweeps/zyc2020_adoption.png $(OUT)/sweeps/zyc2020_code_adoption.png $(OUT)/sweeps/sam_adoption.png docs/figures/

# The golden files of the check against the authors' MATLAB code
# (stdlib/papers/testdata/golden): needs GNU Octave (apt-get install octave)
# and ../shared/reference/coevolutionary. `go test` compares against them.
golden:
	go test ./stdlib/papers -run TestAgainstAuthorsCode -golden -count=1
