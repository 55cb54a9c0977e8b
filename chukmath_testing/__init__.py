"""Real loopback servers used by the tests and benchmarks (an OpenAI-compatible fault injector, a Batch API).

A development package beside ``chukmath``, not shipped in its wheel (``[tool.hatch.build.targets.wheel] packages``);
the editable install (``make install``) puts it on the path, so ``python -m chukmath_testing.fault_server`` works.
"""
