"""Reads llmsam's release-layout files as code written for the LLM-SAM
release does, and prints one line per simulation. Usage:
    python3 read_release.py DIR EXP N START SEEDS
"""
import json
import os
import sys

root, exp, n, start, seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
span = f"person{start}-{start + n}"
sim_dir = os.path.join(root, f"exp{exp}", f"simulations_n{n}")
per_seed = []
for seed in range(seeds):
    data = json.load(open(os.path.join(sim_dir, "seed", f"result_seed{seed}_{span}.json"), encoding="utf-8"))
    per_seed.append(data)
    for name, agent in data.items():
        p = agent["profile"]
        assert abs(p["a"] + p["tau"] + p["f"] - 1) < 1e-6, name
        assert 0 <= p["lambda"] <= 1 and isinstance(p["O_inital_text"], str)
        assert isinstance(p["A_inital"], float) and isinstance(p["O_inital"], float)
        assert agent["opinion"][0]["Opinion"] == int(p["O_inital"] * 10), name
        assert agent["opinion"][0]["Decision"] == ("No" if abs(p["A_inital"]) < 1e-3 else "Yes"), name
        for t, answer in enumerate(agent["opinion"]):
            assert 0 <= int(answer["Opinion"]) <= 10 and answer["Decision"] in ("Yes", "No") and "Thought" in answer
    names = list(data)
    steps = len(data[names[0]]["opinion"])
    adoption = [sum(data[x]["opinion"][t]["Decision"] == "Yes" for x in names) for t in range(steps)]
    print(f"seed {seed}: agents {','.join(names)}; steps {steps}; adopters per step {adoption}; "
          f"{names[0]} a={data[names[0]]['profile']['a']} opinions {[o['Opinion'] for o in data[names[0]]['opinion']]}")
group = json.load(open(os.path.join(sim_dir, f"result_{span}.json"), encoding="utf-8"))
assert group == per_seed, "result_person file differs from the per-seed files"
everything = json.load(open(os.path.join(root, f"exp{exp}", "result_all.jsonl"), encoding="utf-8"))
key = f"exp={exp},n={n},person={start}-{start + n}"
assert everything[key] == per_seed, key
print(f"{key}: {len(everything[key])} seeds; result_all keys {list(everything)}")
