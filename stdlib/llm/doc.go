// Package llm sends prompts to OpenAI-compatible servers (vLLM, OpenAI,
// Ollama, llama.cpp's server, SGLang, LiteLLM) and gets answers back fast,
// reproducibly and without losing any, or says exactly why not.
//
// Before the first request the client checks every endpoint (GET
// /v1/models): a server that is not there, refuses the key or does not
// serve the model fails at once with an *Error naming the URL, the HTTP
// status and the server's own message, as does any 4xx answer. A round's
// requests go out concurrently; each endpoint's in-flight limit adapts to
// the server (slow start, then additive increase and multiplicative
// decrease on timeouts, 429s, 503s and dropped connections), never above
// Config.Concurrency nor llama-server's slot count (/props). Several
// endpoints share the load (the agent's own endpoint first, for
// prefix-cache hits, else the one with most room). 429s, 5xxs, timeouts and
// dropped connections are retried with jittered backoff honouring
// Retry-After, then fail; the same 5xx twice for the same request is
// ErrRepeated. Every failed attempt is reported in Response.Failures.
//
// Requests are sent as exact JSON bodies (Client.Body), and every answer
// is kept in a content-addressed cache (an embedded bbolt database) keyed
// by that body, so that a rerun, or a resume after a crash, asks nothing
// twice and gives the same result. Tokens and cost are counted against an
// optional budget. A replay mode refuses to call any server, and a batch
// mode writes requests as OpenAI batch JSONL (for the Batch API or `vllm
// run-batch`) and imports the results.
//
// Configuration follows the OpenAI SDKs: OPENAI_API_KEY and OPENAI_BASE_URL,
// with fields for everything else. The key is sent in the Authorization
// header only; it is never written to the cache, a log, an error message or
// a run directory.
package llm
