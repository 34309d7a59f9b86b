#!/usr/bin/env python3
"""Write a tiny random-weight qwen2 model in GGUF for llama-server tests.

    python3 tinymodel.py OUT.gguf

The model is meaningless (random weights) but real: llama.cpp loads it as
any qwen2 model, tokenizes with a GPT-2 byte-level BPE tokenizer (qwen2
pre-tokenizer, ChatML template), and samples from it, so tests exercise the
server's real protocol path: tokenizer, sampler, JSON-schema grammars, stop
strings, slots, token usage.

Two hand-set dimensions of the embeddings keep answers short, ASCII and
valid. The first is the same large value for every token: through it the
output layer adds a constant bias that forbids byte tokens that are not
printable ASCII (a lone non-UTF-8 byte makes the server answer HTTP 500),
runs of spaces, the backslash (escapes such as \\u00e9 would bring
non-ASCII back) and the unused control tokens, and favours the end token.
The second tells word tokens (with a letter or digit) from the others:
after a word the closing quote is strongly favoured, after a quote or
punctuation it is not, so a JSON string holds a word or two and then ends,
even at temperature 0.

Nothing here depends on the clock or the machine: the same script with the
same gguf and numpy versions writes the same bytes.
"""

import re
import sys

import numpy as np
import gguf

SEED = 20261130
EMBED, LAYERS, HEADS, KV_HEADS, FFN = 64, 2, 4, 2, 128
MERGES = 300
CONTROL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# The text the BPE merges are learnt from: the words llmsam's prompts and
# answers use, so that prompts take fewer tokens than raw bytes would.
CORPUS = """
# The decision
Question: will you buy a dishwasher? Answer with one JSON object and nothing else.
{"thought": "my friends bought one and the costs are low", "opinion": 7, "decision": "Yes"}
{"thought": "it is too expensive for me", "opinion": 3, "decision": "No"}
Friends sway you strongly (a = 0.50), you hold on to your own view weakly (tau = 0.25),
and outside information sways you moderately (f = 0.25): your view weighs 25% your own
earlier opinion, 50% your friends and 25% outside information. The costs weigh little on
you (lambda = 0.10). Something you know: the new model uses less water and energy.
# Round 2
News this round: the town sorts waste in the new bins. Your 4 friends answered last round:
- friend 12: opinion 6, decision Yes, "the neighbours all do it"
- friend 40: opinion 2, decision No, "I do not trust the antennas"
Round 1: opinion 5, decision No. You thought: "I will wait and see what the others do"
There is no news this round. Read what your friends said: you may change your mind if they
convinced you, or keep your view and try to persuade them. Answer with the JSON object only.
"""


def bytes_to_unicode():
    """GPT-2's reversible mapping of the 256 bytes to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def train_bpe(text, byte_char, n_merges):
    """Greedy byte-level BPE: the most frequent adjacent pair is merged,
    ties broken by the pair itself, so the result is deterministic."""
    pieces = re.findall(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+|[0-9]| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+", text)
    words = {}
    for p in pieces:
        w = tuple(byte_char[b] for b in p.encode("utf-8"))
        words[w] = words.get(w, 0) + 1
    merges = []
    for _ in range(n_merges):
        pairs = {}
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < 2:
            break
        merges.append(best)
        joined = best[0] + best[1]
        new = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(joined)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new[tuple(out)] = new.get(tuple(out), 0) + c
        words = new
    return merges


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tinymodel.py OUT.gguf")
    byte_char = bytes_to_unicode()
    char_byte = {c: b for b, c in byte_char.items()}
    merges = train_bpe(CORPUS, byte_char, MERGES)

    tokens = [byte_char[b] for b in range(256)]
    for a, b in merges:
        if a + b not in tokens:
            tokens.append(a + b)
    types = [gguf.TokenType.NORMAL] * len(tokens)
    first_control = len(tokens)
    tokens += CONTROL
    types += [gguf.TokenType.CONTROL] * len(CONTROL)
    endoftext, im_end = first_control, first_control + 2
    vocab = len(tokens)

    # The output bias, per token.
    bias = np.zeros(vocab, dtype=np.float32)
    word = np.zeros(vocab, dtype=bool)
    quote = -1
    for i, t in enumerate(tokens[:first_control]):
        raw = bytes(char_byte[c] for c in t)
        word[i] = any(chr(b).isalnum() for b in raw if b < 0x80)
        if any(b < 0x20 or b >= 0x7F or b == 0x5C for b in raw) or (raw.isspace() and raw != b" "):
            bias[i] = -100.0  # not printable ASCII, a backslash, or a run of spaces
        elif raw == b'"':
            quote = i
            bias[i] = 1.0
    bias[first_control:] = -100.0
    bias[im_end] = 2.0  # answers end soon

    rng = np.random.default_rng(SEED)

    def normal(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    head = EMBED // HEADS
    kv = head * KV_HEADS
    lift = 8.0  # the embedding's first dimension, the same for every token
    flag = 3.0  # the second: +flag for word tokens, -flag for the others
    embd = normal(vocab, EMBED, scale=1.0)
    embd[:, 0] = lift
    embd[:, 1] = np.where(word, flag, -flag)
    # After RMS normalisation dimension d holds embd[:, d] / rms.
    rms = np.sqrt((lift * lift + flag * flag + EMBED - 2) / EMBED)
    out = normal(vocab, EMBED, scale=0.3)
    out[:, 0] = bias * rms / lift
    out[:, 1] = 0.0
    out[quote, 1] = 6.0 * rms / flag  # +6 after a word, -6 after anything else

    w = gguf.GGUFWriter(sys.argv[1], "qwen2")
    w.add_name("llmsam-tiny-random")
    w.add_context_length(4096)
    w.add_embedding_length(EMBED)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges([a + " " + b for a, b in merges])
    w.add_bos_token_id(endoftext)
    w.add_eos_token_id(im_end)
    w.add_pad_token_id(endoftext)
    w.add_add_bos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    w.add_tensor("token_embd.weight", embd)
    for i in range(LAYERS):
        p = "blk.%d." % i
        w.add_tensor(p + "attn_norm.weight", np.ones(EMBED, dtype=np.float32))
        w.add_tensor(p + "attn_q.weight", normal(EMBED, EMBED, scale=0.1))
        w.add_tensor(p + "attn_q.bias", normal(EMBED, scale=0.1))
        w.add_tensor(p + "attn_k.weight", normal(kv, EMBED, scale=0.1))
        w.add_tensor(p + "attn_k.bias", normal(kv, scale=0.1))
        w.add_tensor(p + "attn_v.weight", normal(kv, EMBED, scale=0.1))
        w.add_tensor(p + "attn_v.bias", normal(kv, scale=0.1))
        w.add_tensor(p + "attn_output.weight", normal(EMBED, EMBED, scale=0.1))
        w.add_tensor(p + "ffn_norm.weight", np.ones(EMBED, dtype=np.float32))
        w.add_tensor(p + "ffn_gate.weight", normal(FFN, EMBED, scale=0.1))
        w.add_tensor(p + "ffn_up.weight", normal(FFN, EMBED, scale=0.1))
        w.add_tensor(p + "ffn_down.weight", normal(EMBED, FFN, scale=0.1))
    w.add_tensor("output_norm.weight", np.ones(EMBED, dtype=np.float32))
    w.add_tensor("output.weight", out)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()
