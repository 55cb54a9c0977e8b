"""Real loopback servers used by the tests and benchmarks (an OpenAI-compatible fault injector, a Batch API)."""
