// Package llm sends prompts to OpenAI-compatible servers (vLLM, OpenAI,
// Ollama, llama.cpp's server, SGLang, LiteLLM) and gets answers back fast,
// reproducibly and without losing any: a round's requests go out
// concurrently with a cap on requests in flight per endpoint, several
// endpoints share the load (least busy first, the same agent on the same
// endpoint for prefix-cache hits), 429s and 5xxs are retried with jittered
// backoff honouring Retry-After, tokens and cost are counted against an
// optional budget, and every answer is kept in a content-addressed cache
// (an embedded bbolt database) so that a rerun, or a resume after a crash,
// asks nothing twice and gives the same result. A replay mode refuses to
// call any server, and a batch mode writes a step's requests as OpenAI batch
// JSONL (for the Batch API or `vllm run-batch`) and imports the results.
//
// Configuration follows the OpenAI SDKs: OPENAI_API_KEY and OPENAI_BASE_URL,
// with fields for everything else. The key is sent in the Authorization
// header only; it is never written to the cache, a log or a run directory.
package llm
